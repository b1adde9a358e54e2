export * from './feedback-errors';
export * from './live-accuracy';
