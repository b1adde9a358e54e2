export * from './latency-window';
export * from './platform-metrics';
