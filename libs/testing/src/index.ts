export * from './test-redis';
export * from './test-postgres';
export * from './wait-for';
