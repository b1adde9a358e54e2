import type { Run } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { getJson, postJson } from './support/http';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { slipway } from './support/slipway-cli';
import { isAlive, SlipwayUp } from './support/slipway-up';

const EPOCHS = 600;

let seed = 100;

/** A training long enough to outlast a crash and a restart; a seed of its own, so no earlier run's cached model is reused. */
function longPipeline(name: string) {
  const base = demoPipeline();
  seed += 1;
  return { ...base, name, model: { ...base.model, spec: { ...base.model.spec, epochs: EPOCHS, seed } } };
}

const allEpochs = Array.from({ length: EPOCHS }, (_, index) => index + 1);

/** Epoch numbers as the registry recorded them: a lost epoch leaves a gap, a doubled one a repeat. */
const recordedEpochs = (run: Run) => run.epochs.map((epoch) => epoch.epoch);

async function epochsRecorded(registry: string, runId: string, atLeast: number): Promise<void> {
  await waitFor(`${atLeast} epochs of ${runId}`, async () => ((await getJson<Run>(`${registry}/api/runs/${runId}`)).body.epochs.length >= atLeast ? true : undefined));
}

/** Kills the process as a crash would and resolves, with the time it took, when slipway up reports it ready again. */
async function killAndAwaitRecovery(up: SlipwayUp, name: string): Promise<number> {
  const { pid } = up.process(name);
  if (pid === null) throw new Error(`${name} has no process`);
  const readyAgain = up.nextLine((line) => line.startsWith(`slipway: ${name} ready again`));
  const reported = up.nextLine((line) => line.startsWith(`slipway: ${name} (pid ${pid}) was killed by SIGKILL`));
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  await reported;
  await readyAgain;
  return performance.now() - killedAt;
}

describe('slipway up keeps the platform running through crashes and stops it cleanly', () => {
  let up: SlipwayUp;
  let registry: string;
  const figures: Record<string, string> = {};

  beforeAll(async () => {
    up = await SlipwayUp.start();
    registry = up.url('model-registry');
  }, 180_000);

  afterAll(async () => {
    console.log(`supervision figures: ${JSON.stringify(figures)}`);
    await up?.cleanUp();
  });

  it('restarts a trainer killed mid-training; the run resumes from its checkpoint with no epoch lost or doubled', async () => {
    const { id } = await submitRun(registry, longPipeline('iris-supervised-trainer'));
    await epochsRecorded(registry, id, 20);
    figures['trainer ready again after kill -9'] = `${Math.round(await killAndAwaitRecovery(up, 'trainer'))} ms`;

    const run = await waitForRunToFinish(registry, id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((step) => step.name === 'train')?.attempts).toBeGreaterThanOrEqual(2);
    expect(recordedEpochs(run)).toEqual(allEpochs);
    expect(up.process('trainer')).toMatchObject({ state: 'ready', restarts: 1, lastExit: 'was killed by SIGKILL' });
  }, 180_000);

  it.each(['data-prep', 'monitoring', 'serving', 'model-registry'])('restarts %s after kill -9 and it is ready again', async (name) => {
    const ms = await killAndAwaitRecovery(up, name);
    figures[`${name} ready again after kill -9`] = `${Math.round(ms)} ms`;
    const status = await slipway('status', '--state-dir', up.stateDir, '--json');
    expect(status.code).toBe(0);
    const shown = (JSON.parse(status.stdout) as { processes: { name: string; ready: boolean; restarts: number; state: string }[] }).processes.find((p) => p.name === name);
    expect(shown).toMatchObject({ ready: true, restarts: 1, state: 'ready' });
  }, 120_000);

  it('finishes a run through a Redis killed and restarted mid-training', async () => {
    const { id } = await submitRun(registry, longPipeline('iris-supervised-redis'));
    await epochsRecorded(registry, id, 20);
    const killedAt = performance.now();
    await killAndAwaitRecovery(up, 'redis');
    await waitFor('the registry to be ready again', async () => ((await fetch(`${registry}/readyz`)).ok ? true : undefined));
    figures['registry ready again after Redis kill -9'] = `${Math.round(performance.now() - killedAt)} ms`;

    const run = await waitForRunToFinish(registry, id);
    figures['run finished after Redis kill -9'] = `${Math.round(performance.now() - killedAt)} ms`;
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(recordedEpochs(run)).toEqual(allEpochs);
  }, 180_000);

  it('refuses a run within a second while Redis does not answer, recording nothing; the CLI says the queue is unavailable', async () => {
    const { pid } = up.process('redis');
    if (pid === null) throw new Error('redis has no process');
    const runIds = async () => (await getJson<{ runs: { id: string }[] }>(`${registry}/api/runs`)).body.runs.map((run) => run.id);
    const before = await runIds();
    // A stopped Redis keeps its port open and answers nothing: the outage that hangs clients without time-outs.
    process.kill(pid, 'SIGSTOP');
    try {
      const startedAt = performance.now();
      const answer = await postJson<{ error: string }>(`${registry}/api/runs`, { pipeline: longPipeline('iris-while-redis-down') });
      const ms = performance.now() - startedAt;
      figures['POST /api/runs while Redis is down'] = `${Math.round(ms)} ms → ${answer.status}`;
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatch(/^queue \(Redis\) unavailable: .*nothing was recorded/);
      expect(ms).toBeLessThan(1_000);
      const cli = await slipway('run', 'pipelines/iris.pipeline.json', '--registry', registry, '--detach');
      expect(cli.stderr).toContain('queue (Redis) unavailable');
      expect(cli.code).toBe(6);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await runIds()).toEqual(before);
  }, 60_000);

  it('stops everything on Ctrl+C within 10 s with a run in progress, with no SIGKILL', async () => {
    const { id } = await submitRun(registry, longPipeline('iris-interrupted'));
    await epochsRecorded(registry, id, 5);
    const pids = up.state().processes.map((p) => p.pid).filter((pid): pid is number => pid !== null);
    expect(pids).toHaveLength(6);
    const startedAt = performance.now();
    const code = await up.interrupt();
    const ms = performance.now() - startedAt;
    figures['Ctrl+C to every process gone'] = `${Math.round(ms)} ms`;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(up.lines.join('\n')).not.toMatch(/SIGKILL\)|had to be killed/);
    expect(up.lines.at(-1)).toMatch(/^stopped in [\d.]+ s\.$/);
  }, 60_000);
});
