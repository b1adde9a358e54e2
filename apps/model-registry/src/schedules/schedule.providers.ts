import type { Provider } from '@nestjs/common';
import { ScheduleService, type RegistryDb } from '@slipway/registry';
import { REGISTRY_DB } from '../database/registry-database.module';
import { BullScheduleTriggers } from './bull-schedule-triggers';
import { ScheduledRunProcessor } from './scheduled-run.processor';
import { ScheduleReconciler } from './schedule-reconciler';

/** Schedules in the registry database, their triggers as BullMQ job schedulers, the worker that fires runs. */
export const scheduleProviders: Provider[] = [
  BullScheduleTriggers,
  { provide: ScheduleService, inject: [REGISTRY_DB, BullScheduleTriggers], useFactory: (db: RegistryDb, triggers: BullScheduleTriggers) => new ScheduleService(db, triggers) },
  ScheduledRunProcessor,
  ScheduleReconciler,
];
