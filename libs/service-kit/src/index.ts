export * from './service.module';
export * from './auth';
