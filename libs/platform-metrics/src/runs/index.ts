export * from './run-tracker';
