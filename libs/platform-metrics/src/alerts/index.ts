export * from './drift-alerts';
export * from './retry-with-backoff';
export * from './webhook-delivery.error';
export * from './drift.service';
