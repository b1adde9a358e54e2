export * from './test-redis';
export * from './test-postgres';
export * from './wait-for';
export * from './span-recorder';
export * from './step-worker-stubs';
export * from './run-waiter';
export * from './prometheus-sample';
