export * from './connection/redis-connection';
export * from './connection/redis-options';
export * from './consumer/invalid-job.error';
export * from './consumer/job-router';
export * from './producer/typed-producer';
export * from './flow/flow-node';
export * from './nest/queue.module';
export * from './telemetry/queue-telemetry';
