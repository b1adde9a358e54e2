/** Nest injection token of the service's artifact store (provided by the service kit from SLIPWAY_ARTIFACTS). */
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');
