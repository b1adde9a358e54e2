import { z } from 'zod';
import { ALIAS_NAME, MODEL_NAME } from '../pipeline/pipeline-step.schema';

/** Request header that pins a request to an alias or version, bypassing the weighted split. */
export const ROUTE_HEADER = 'x-slipway-route';
/** Response header with the prediction id that `POST /api/feedback` on monitoring takes. */
export const PREDICTION_ID_HEADER = 'x-slipway-prediction-id';

/** Response header naming the alias or version that answered. */
export const SERVED_BY_HEADER = 'x-slipway-served-by';

const aliasName = z.string().regex(ALIAS_NAME, 'an alias: lowercase letters, digits and dashes, starting with a letter');

export const trafficRouteSchema = z.object({
  alias: aliasName,
  /** Share of the model's traffic, in percent. */
  weight: z.number().int().min(0).max(100),
});

/** How one model's unaddressed traffic (no version in the URL) is split, and who shadows it. */
export const modelTrafficPolicySchema = z
  .object({
    routes: z.array(trafficRouteSchema).min(1),
    /** An alias that gets a copy of every request; the routed version answers, disagreements are counted. */
    shadow: aliasName.optional(),
  })
  .refine((policy) => policy.routes.reduce((sum, route) => sum + route.weight, 0) === 100, {
    message: 'route weights must add up to 100',
    path: ['routes'],
  })
  .refine((policy) => new Set(policy.routes.map((route) => route.alias)).size === policy.routes.length, {
    message: 'each alias may appear once',
    path: ['routes'],
  });
export type ModelTrafficPolicy = z.infer<typeof modelTrafficPolicySchema>;

/** Model name → policy, e.g. `{"iris": {"routes": [{"alias": "production", "weight": 90}, {"alias": "canary", "weight": 10}]}}`. */
export const trafficPolicySchema = z.record(z.string().regex(MODEL_NAME, 'a model name'), modelTrafficPolicySchema);
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;
