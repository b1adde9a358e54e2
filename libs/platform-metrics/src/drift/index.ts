export * from './categorical-drift';
export * from './distribution-tests';
export * from './feature-drift';
export * from './numeric-drift';
export * from './population-stability';
export * from './sliding-window';
export * from './drift-tracker';
export * from './training-statistics';
