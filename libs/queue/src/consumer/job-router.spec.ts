import { defineQueue, STANDARD_JOB_DEFAULTS } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { assertHandlersComplete, JobRouter, type JobHandlers } from './job-router';

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

describe('assertHandlersComplete', () => {
  it('accepts exactly one handler per job name', () => {
    expect(() => assertHandlersComplete(contract, { 'first-job': handler, 'second-job': handler })).not.toThrow();
  });

  it('names the queue and the job without a handler', () => {
    expect(() => assertHandlersComplete(contract, { 'first-job': handler })).toThrow(/completeness-test.*second-job/);
  });

  it('treats a value that is not a function as a missing handler', () => {
    expect(() => assertHandlersComplete(contract, { 'first-job': handler, 'second-job': 'not a function' })).toThrow(/second-job/);
  });

  it('names a handler for a job the contract does not know', () => {
    expect(() => assertHandlersComplete(contract, { 'first-job': handler, 'second-job': handler, 'third-job': handler })).toThrow(/third-job/);
  });

  it('names missing and unknown handlers in one error', () => {
    let message = '';
    try {
      assertHandlersComplete(contract, { 'first-job': handler, 'typo-job': handler });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('second-job');
    expect(message).toContain('typo-job');
    expect(message).not.toContain('first-job');
  });

  it('runs when a JobRouter is built, so an incomplete worker fails at start-up', () => {
    const incomplete = { 'first-job': handler } as unknown as JobHandlers<typeof contract>;
    const logger = { log: () => undefined, error: () => undefined, warn: () => undefined };
    expect(() => new JobRouter(contract, incomplete, { logger, metrics: new Registry() })).toThrow(/second-job/);
  });
});
