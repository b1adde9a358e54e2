export * from './free-port';
export * from './redis-server';
export * from './wait-for-exit';
export * from './service-process';
export * from './platform-services';
export * from './platform';
