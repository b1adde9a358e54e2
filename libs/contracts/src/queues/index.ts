import { dataPrepQueue } from './data-prep.queue';
import { eventsQueue } from './events.queue';
import { pipelineQueue } from './pipeline.queue';
import { registrationQueue } from './registration.queue';
import { schedulesQueue } from './schedules.queue';
import { trainingQueue } from './training.queue';

export * from './queue-contract';
export * from './data-prep.queue';
export * from './training.queue';
export * from './registration.queue';
export * from './events.queue';
export * from './pipeline.queue';
export * from './schedules.queue';
export * from './step-queues';

/** Every queue of the platform, for dashboards and depth metrics. */
export const ALL_QUEUES = [dataPrepQueue, trainingQueue, registrationQueue, pipelineQueue, schedulesQueue, eventsQueue] as const;
