import { z } from 'zod';
import { ALIAS_NAME } from '../pipeline/pipeline-step.schema';

/**
 * What a token may do. Reads need no scope (unless SLIPWAY_AUTH_READS is on, then any valid token reads);
 * `admin` holds every scope, `promote:*` every `promote:<alias>`.
 */
export const API_SCOPES = {
  'runs:write': 'submit, resume and track runs (params, metrics, tags, system info)',
  'schedules:write': 'create, pause, resume and delete schedules',
  'models:write': 'import models, edit model and version metadata, move unprotected aliases',
  'serving:admin': "load and unload models in serving's repository",
  'feedback:write': 'send ground-truth labels to monitoring',
  infer: 'call inference endpoints when SLIPWAY_AUTH_INFER is on',
  admin: 'everything, including issuing and revoking tokens',
} as const;
export type FixedApiScope = keyof typeof API_SCOPES;
/** `promote:<alias>` lets a token move or delete that protected alias; `promote:*` any of them. */
export type PromoteScope = `promote:${string}`;
export type ApiScope = FixedApiScope | PromoteScope;

const PROMOTE_SCOPE = new RegExp(`^promote:(\\*|${ALIAS_NAME.source.slice(1, -1)})$`);
const SCOPE_RULE = `one of ${Object.keys(API_SCOPES).join(', ')}, promote:<alias> or promote:*`;

export const apiScopeSchema = z
  .string()
  .refine((scope): scope is ApiScope => scope in API_SCOPES || PROMOTE_SCOPE.test(scope), { message: `scopes are ${SCOPE_RULE}` });

/** The scope a token needs to move or delete a protected alias. */
export function promoteScope(alias: string): PromoteScope {
  return `promote:${alias}`;
}

/** Whether a token holding `held` may do what `needed` allows. */
export function grantsScope(held: readonly string[], needed: ApiScope): boolean {
  if (held.includes('admin') || held.includes(needed)) return true;
  return needed.startsWith('promote:') && held.includes('promote:*');
}
