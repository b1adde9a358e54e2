export * from './artifact-store';
export * from './artifact-errors';
export * from './file-artifact-store';
export * from './create-artifact-store';
export * from './artifact-store.token';
