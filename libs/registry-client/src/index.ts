export * from './registry-api.error';
export * from './registry-client';
