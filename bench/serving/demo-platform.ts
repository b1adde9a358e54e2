import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricValue, pipelineSpecSchema, type Run, type V2ModelMetadata } from '@slipway/contracts';
import { findFreePort, LocalPlatform, PLATFORM_SERVICES } from '@slipway/local-runtime';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, waitFor } from '@slipway/testing';
import type { BenchRun } from './bench-run';

type ServiceName = (typeof PLATFORM_SERVICES)[number];

export interface DemoModel {
  name: string;
  version: number;
  runId: string;
  backend: string | null;
  testAccuracy: number | null;
}

export interface DemoPlatform {
  platform: LocalPlatform;
  stateDir: string;
  /** The Redis and BullMQ key prefix the services share, for benches that talk to the queues directly. */
  redisUrl: string;
  queuePrefix: string;
  model: DemoModel;
  /**
   * Stops the services, removes this run's Redis keys and Redis when started here; the state directory (logs,
   * registry, artifacts) too unless kept, for a failed run whose error names a log file in it.
   */
  stop(options: { keepState: boolean }): Promise<void>;
}

export class DemoRunFailedError extends Error {
  override readonly name = 'DemoRunFailedError';
}

const RUN_TIMEOUT_MS = 180_000;
const LOAD_TIMEOUT_MS = 60_000;

/**
 * The five services as local processes (own Redis, state directory and queue prefix, like the e2e suite),
 * with the demo pipeline trained, registered, promoted and loaded by serving. `env` is added to every service's.
 */
export async function startDemoPlatform(workspaceRoot: string, options: { env?: Record<string, string> } = {}): Promise<DemoPlatform> {
  const redis = await startTestRedis();
  const stateDir = await mkdtemp(join(tmpdir(), 'slipway-bench-serving-'));
  const queuePrefix = uniqueQueuePrefix();
  const ports = Object.fromEntries(await Promise.all(PLATFORM_SERVICES.map(async (name) => [name, await findFreePort()] as const)));
  const platform = new LocalPlatform({ workspaceRoot, redisUrl: redis.url, ports: ports as Record<ServiceName, number>, stateDir, queuePrefix, env: options.env });
  const stop = async ({ keepState }: { keepState: boolean }) => {
    await platform.stop();
    await removeQueuePrefix(redis.url, queuePrefix);
    await redis.stop();
    if (!keepState) await rm(stateDir, { recursive: true, force: true });
  };
  try {
    await platform.start();
    const model = await trainDemoModel(workspaceRoot, platform.url('model-registry'));
    await waitForServedVersion(platform.url('serving'), model);
    return { platform, stateDir, redisUrl: redis.url, queuePrefix, model, stop };
  } catch (error) {
    await stop({ keepState: true });
    console.error(`kept ${stateDir} (service logs under logs/)`);
    throw error;
  }
}

/** Stops the platform with the bench's other cleanups; a failed run keeps the state directory and says where. */
export function stopWithBench(demo: DemoPlatform, run: BenchRun): void {
  run.cleanups.push('stop the platform', async () => {
    await demo.stop({ keepState: run.failed });
    if (run.failed) console.error(`kept ${demo.stateDir} (service logs under logs/)`);
  });
}

async function trainDemoModel(workspaceRoot: string, registryUrl: string): Promise<DemoModel> {
  const pipeline = pipelineSpecSchema.parse(JSON.parse(await readFile(join(workspaceRoot, 'pipelines/iris.pipeline.json'), 'utf8')));
  const submitted = await fetch(`${registryUrl}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline }),
  });
  if (submitted.status !== 201) throw new DemoRunFailedError(`POST /api/runs answered ${submitted.status}: ${await submitted.text()}`);
  const { id } = (await submitted.json()) as Run;
  const run = await waitFor(
    `run ${id} to finish`,
    async () => {
      const body = (await (await fetch(`${registryUrl}/api/runs/${id}`)).json()) as Run;
      return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
    },
    RUN_TIMEOUT_MS,
  );
  if (run.status !== 'succeeded' || !run.modelVersion) throw new DemoRunFailedError(`run ${id} of ${pipeline.name} ${run.status}: ${run.error ?? 'no model version'}`);
  return { name: run.modelVersion.model, version: run.modelVersion.version, runId: run.id, backend: run.backend, testAccuracy: run.metrics === null ? null : (metricValue(run.metrics, 'test.accuracy') ?? null) };
}

/** Resolves once serving at baseUrl lists the model's version in its V2 metadata. */
export function waitForServedVersion(baseUrl: string, model: Pick<DemoModel, 'name' | 'version'>): Promise<V2ModelMetadata> {
  return waitFor(
    `${baseUrl} to serve ${model.name} v${model.version}`,
    async () => {
      const answer = await fetch(`${baseUrl}/v2/models/${model.name}`);
      const metadata = answer.status === 200 ? ((await answer.json()) as V2ModelMetadata) : undefined;
      return metadata?.versions.includes(String(model.version)) ? metadata : undefined;
    },
    LOAD_TIMEOUT_MS,
  );
}
