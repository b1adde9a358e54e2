import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SpanKind, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { defineQueue, type QueueJobDefaults } from '@slipway/contracts';
import { createServiceLogger, METRICS_REGISTRY, ObservabilityModule, slipwayTracer, startTracing, stopTracing } from '@slipway/observability';
import { removeQueuePrefix, SpanRecorder, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { FlowProducer, type Job } from 'bullmq';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { redisOptionsFromUrl } from '../connection/redis-options';
import { JobRouter } from '../consumer/job-router';
import { flowNode } from '../flow/flow-node';
import { producerToken, QueueModule } from '../nest/queue.module';
import type { TypedProducer } from '../producer/typed-producer';
import { queueTelemetry } from './queue-telemetry';

const SERVICE = 'queue-tracing-test';

const quickJobs: QueueJobDefaults = { attempts: 1, backoff: { type: 'fixed', delay: 10 }, removeOnComplete: { age: 3_600, count: 100 }, removeOnFail: { age: 3_600, count: 100 } };

const prepareQueue = defineQueue({
  name: 'tracing-prepare',
  jobs: { 'prepare-rows': { data: z.object({ runId: z.string() }), result: z.object({ rows: z.number() }) } },
  defaultJobOptions: quickJobs,
  lockDurationMs: 30_000,
});

const trainQueue = defineQueue({
  name: 'tracing-train',
  jobs: { 'train-model': { data: z.object({ runId: z.string() }), result: z.object({ trained: z.boolean() }) } },
  defaultJobOptions: quickJobs,
  lockDurationMs: 30_000,
});

// The job routers log through a service logger, as the apps' do through Nest's: its JSON lines are what is checked.
const jobLogger = createServiceLogger(SERVICE);

@Processor(prepareQueue.name)
class PrepareProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof prepareQueue>;
  constructor(@Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    this.router = new JobRouter(prepareQueue, { 'prepare-rows': async () => ({ rows: 150 }) }, { logger: jobLogger, metrics });
  }
  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}

@Processor(trainQueue.name)
class TrainProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof trainQueue>;
  constructor(@Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    this.router = new JobRouter(trainQueue, { 'train-model': async () => ({ trained: true }) }, { logger: jobLogger, metrics });
  }
  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}

const consumerSpan = (queue: string, jobId: string) => (spans: ReadableSpan[]) =>
  spans.find((span) => span.kind === SpanKind.CONSUMER && span.name === `process ${queue}` && span.attributes['bullmq.job.id'] === jobId);

/** Runs `work` inside a span standing in for the REST request that submits a run; returns its trace id. */
async function inRequestSpan(work: () => Promise<void>): Promise<{ traceId: string; spanId: string }> {
  return slipwayTracer().startActiveSpan('POST /api/runs', { kind: SpanKind.SERVER }, async (span: Span) => {
    try {
      await work();
      return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
}

describe('trace context through BullMQ queues of the QueueModule', () => {
  const prefix = uniqueQueuePrefix();
  const recorder = new SpanRecorder();
  const logLines: Record<string, unknown>[] = [];
  let capture: jest.SpyInstance;
  let redis: TestRedis;
  let app: TestingModule;

  beforeAll(async () => {
    capture = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter((text) => text.startsWith('{'))) logLines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
    redis = await startTestRedis();
    // Before the module is built, as runService does: QueueModule.forRoot reads queueTelemetry() when it is defined.
    await startTracing({ service: SERVICE, exporter: recorder, export: 'each' });
    @Module({
      imports: [
        ObservabilityModule.forService(SERVICE),
        QueueModule.forRoot({ redisUrl: redis.url, prefix, service: SERVICE }),
        QueueModule.forQueues(prepareQueue, trainQueue),
      ],
      providers: [PrepareProcessor, TrainProcessor],
    })
    class TracedQueuesModule {}
    app = await Test.createTestingModule({ imports: [TracedQueuesModule] }).compile();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await stopTracing();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
    capture?.mockRestore();
  });

  it('continues the trace a job was added in: producer span, then the worker’s span around the processor', async () => {
    const producer = app.get<TypedProducer<typeof prepareQueue>>(producerToken(prepareQueue));
    let jobId = '';
    const request = await inRequestSpan(async () => {
      jobId = await producer.add('prepare-rows', { runId: 'run-traced' });
    });

    const consumer = await recorder.waitFor(`process ${prepareQueue.name} of job ${jobId}`, consumerSpan(prepareQueue.name, jobId));
    const added = recorder.getFinishedSpans().find((span) => span.kind === SpanKind.PRODUCER && span.spanContext().traceId === request.traceId);
    expect(added?.parentSpanContext?.spanId).toBe(request.spanId);
    expect(consumer.spanContext().traceId).toBe(request.traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(added?.spanContext().spanId);

    // The worker's log lines carry the job span's ids.
    const started = logLines.find((line) => (line['message'] as { event?: string; jobId?: string } | undefined)?.jobId === jobId);
    expect(started).toMatchObject({ message: { event: 'job.started', runId: 'run-traced' }, traceId: request.traceId, spanId: consumer.spanContext().spanId });
  });

  it('puts every job of a flow built with queueTelemetry() into the trace it was submitted in', async () => {
    const flows = new FlowProducer({ connection: redisOptionsFromUrl(redis.url), prefix, telemetry: queueTelemetry() });
    try {
      const runId = 'run-flow-traced';
      const request = await inRequestSpan(async () => {
        await flows.add(
          flowNode(trainQueue, 'train-model', { runId }, { prefix, jobId: `${runId}-train`, children: [flowNode(prepareQueue, 'prepare-rows', { runId }, { prefix, jobId: `${runId}-prepare` })] }),
        );
      });
      const [prepared, trained] = await Promise.all([
        recorder.waitFor(`process ${prepareQueue.name} of the flow`, consumerSpan(prepareQueue.name, `${runId}-prepare`)),
        recorder.waitFor(`process ${trainQueue.name} of the flow`, consumerSpan(trainQueue.name, `${runId}-train`)),
      ]);
      expect([prepared.spanContext().traceId, trained.spanContext().traceId]).toEqual([request.traceId, request.traceId]);
    } finally {
      await flows.close();
    }
  });
});

describe('queueTelemetry with tracing off', () => {
  it('gives BullMQ no telemetry, so queues and workers do no tracing work', () => {
    expect(queueTelemetry()).toBeUndefined();
  });
});
