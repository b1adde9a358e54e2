export * from './alerts';
export * from './dashboard';
export * from './drift';
export * from './feedback';
export * from './latency-window';
export * from './runs';
export * from './platform-metrics';
