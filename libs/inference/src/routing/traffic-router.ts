import { DEFAULT_SERVING_ALIAS, type TrafficPolicy } from '@slipway/contracts';

export interface RouteDecision {
  /** The alias or version that answers. */
  target: string;
  /** How it was chosen: the request pinned it, the weighted split picked it, or the model has no policy. */
  via: 'pinned' | 'split' | 'default';
  /** An alias that gets a copy of the request (answer discarded, disagreements counted). */
  shadow?: string;
}

/** Picks which alias answers a request addressed to a model by name alone, per the traffic policy. */
export class TrafficRouter {
  constructor(
    private readonly policy: TrafficPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** @param pinned alias or version from the route header, which bypasses the split (the shadow still gets a copy). */
  route(model: string, pinned?: string): RouteDecision {
    // Own keys only: a model named "constructor" must not find Object.prototype's.
    const policy = Object.hasOwn(this.policy, model) ? this.policy[model] : undefined;
    const shadow = policy?.shadow;
    if (pinned) return { target: pinned, via: 'pinned', ...(shadow && shadow !== pinned ? { shadow } : {}) };
    if (!policy) return { target: DEFAULT_SERVING_ALIAS, via: 'default' };
    let draw = this.random() * 100;
    let target = policy.routes[policy.routes.length - 1]?.alias ?? DEFAULT_SERVING_ALIAS;
    for (const route of policy.routes) {
      if (draw < route.weight) {
        target = route.alias;
        break;
      }
      draw -= route.weight;
    }
    return { target, via: 'split', ...(shadow && shadow !== target ? { shadow } : {}) };
  }

  /** Every alias the policy routes to or shadows with: serving must keep them loaded. */
  aliases(): string[] {
    const aliases = new Set<string>();
    for (const policy of Object.values(this.policy)) {
      for (const route of policy.routes) aliases.add(route.alias);
      if (policy.shadow) aliases.add(policy.shadow);
    }
    return [...aliases];
  }
}
