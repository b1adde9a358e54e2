import { defineQueue, STANDARD_JOB_DEFAULTS } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { JobRouter, type JobHandlers } from './job-router';

const contract = defineQueue({
  name: 'completeness-test',
  jobs: {
    'first-job': { data: z.object({}), result: z.object({}) },
    'second-job': { data: z.object({}), result: z.object({}) },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});

const handler = async () => ({});
const logger = { log: () => undefined, error: () => undefined, warn: () => undefined };

/** Builds a router, which checks at once that the handlers match the contract (so an incomplete worker fails at start-up). */
const routerWith = (handlers: Record<string, unknown>) => () => new JobRouter(contract, handlers as unknown as JobHandlers<typeof contract>, { logger, metrics: new Registry() });

describe('the JobRouter completeness check', () => {
  it('accepts exactly one handler per job name', () => {
    expect(routerWith({ 'first-job': handler, 'second-job': handler })).not.toThrow();
  });

  it('names the queue and the job without a handler', () => {
    expect(routerWith({ 'first-job': handler })).toThrow(/completeness-test.*second-job/);
  });

  it('treats a value that is not a function as a missing handler', () => {
    expect(routerWith({ 'first-job': handler, 'second-job': 'not a function' })).toThrow(/second-job/);
  });

  it('names a handler for a job the contract does not know', () => {
    expect(routerWith({ 'first-job': handler, 'second-job': handler, 'third-job': handler })).toThrow(/third-job/);
  });

  it('names missing and unknown handlers in one error', () => {
    let message = '';
    try {
      routerWith({ 'first-job': handler, 'typo-job': handler })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('second-job');
    expect(message).toContain('typo-job');
    expect(message).not.toContain('first-job');
  });
});
