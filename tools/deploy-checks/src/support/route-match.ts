import type { K8sObject } from './manifests';

/** Which request paths a rendered route forwards, by the matching rules of the Gateway API and of Istio. */

interface HttpRouteSpec {
  rules: { matches?: { path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string } }[] }[];
}

interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

interface VirtualServiceSpec {
  gateways?: string[];
  http: { match?: { uri?: StringMatch; gateways?: string[] }[] }[];
}

/** Gateway API path matching: PathPrefix compares whole path elements (/v2/models matches /v2/models/x, not /v2/modelsx). */
function gatewayApiPathMatches(match: { type?: string; value?: string } | undefined, path: string): boolean {
  const type = match?.type ?? 'PathPrefix';
  const value = match?.value ?? '/';
  if (type === 'Exact') return path === value;
  if (type === 'PathPrefix') {
    const prefix = value.replace(/\/+$/, '');
    return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  }
  return new RegExp(`^${value}$`).test(path);
}

/** Whether an HTTPRoute forwards a request for the path (a rule without matches matches every path). */
export function httpRouteForwards(route: K8sObject, path: string): boolean {
  return (route.spec as unknown as HttpRouteSpec).rules.some((rule) => (rule.matches ?? [{}]).some((match) => gatewayApiPathMatches(match.path, path)));
}

function istioUriMatches(uri: StringMatch | undefined, path: string): boolean {
  if (!uri) return true;
  if (uri.exact !== undefined) return path === uri.exact;
  if (uri.prefix !== undefined) return path.startsWith(uri.prefix);
  if (uri.regex !== undefined) return new RegExp(`^${uri.regex}$`).test(path);
  return true;
}

/**
 * Whether a VirtualService forwards a request for the path that arrives through the gateway ('mesh' for calls
 * between pods): some http route has a match (or none) that holds for that gateway and path.
 */
export function virtualServiceForwards(service: K8sObject, gateway: string, path: string): boolean {
  const spec = service.spec as unknown as VirtualServiceSpec;
  const bound = spec.gateways ?? ['mesh'];
  if (!bound.includes(gateway)) return false;
  return spec.http.some((route) => (route.match ?? [{}]).some((match) => (match.gateways ?? bound).includes(gateway) && istioUriMatches(match.uri, path)));
}

/** The gateways of a VirtualService that admit traffic from outside the mesh. */
export const publicGateways = (service: K8sObject): string[] => ((service.spec as unknown as VirtualServiceSpec).gateways ?? []).filter((gateway) => gateway !== 'mesh');
