/** Redis pub/sub channels: facts every replica must hear. Missed messages are caught by reconciliation. */
export const ALIAS_CHANGED_CHANNEL = 'slipway:alias-changed';

/** BullMQ key prefix of every Slipway queue; KEDA and dashboards build key names from it. */
export const QUEUE_PREFIX = 'slipway';

/** The alias serving loads by default for a model addressed by name alone. */
export const DEFAULT_SERVING_ALIAS = 'production';
