/** Nest injection tokens of monitoring's collaborators built from its configuration. */
export const REGISTRY_CLIENT = Symbol('REGISTRY_CLIENT');
export const ARTIFACT_STORE = Symbol('MONITORING_ARTIFACT_STORE');
