export * from './env-var';
export * from './config.error';
export * from './load-config';
export * from './common-variables';
export * from './service-configs';
