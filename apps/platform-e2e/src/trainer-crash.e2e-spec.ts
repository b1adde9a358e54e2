import { readFile } from 'node:fs/promises';
import { metricValue, type Run } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { getJson } from './support/http';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';

const EPOCHS = 800;
/** A killed trainer's job is queued again once its lock expires; short values bring it back within seconds. */
const FAST_STALL_RECOVERY = { SLIPWAY_TRAINER_LOCK_MS: '3000', SLIPWAY_TRAINER_STALLED_INTERVAL_MS: '1000' };

type TrainerEvent = { event: string; epoch?: number; fromEpoch?: number; checkpoint?: string };

/** The trainer's structured log entries (JSON lines; a line cut short by the kill is skipped). */
async function trainerEvents(logFile: string): Promise<TrainerEvent[]> {
  const entries: TrainerEvent[] = [];
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    try {
      const message = (JSON.parse(line) as { message?: unknown }).message;
      if (message && typeof message === 'object' && 'event' in message) entries.push(message as TrainerEvent);
    } catch {
      // not a JSON line
    }
  }
  return entries;
}

describe('a trainer killed mid-training resumes from its last checkpoint', () => {
  let platform: PlatformUnderTest;

  beforeAll(async () => {
    platform = await startPlatformUnderTest({ env: FAST_STALL_RECOVERY });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('finishes the run after a SIGKILL, continuing after the last checkpointed epoch', async () => {
    const trainer = platform.local?.services.trainer;
    if (!trainer) throw new Error('this test kills a local trainer process; run it without SLIPWAY_E2E_*_URL');
    const registry = platform.urls['model-registry'];
    const base = demoPipeline();
    const pipeline = { ...base, name: 'iris-crash', model: { ...base.model, spec: { ...base.model.spec, epochs: EPOCHS } } };
    const { id } = await submitRun(registry, pipeline);

    const recordedBeforeKill = await waitFor('20 epochs to be recorded', async () => {
      const { body } = await getJson<Run>(`${registry}/api/runs/${id}`);
      return body.epochs.length >= 20 ? body.epochs.length : undefined;
    });
    await trainer.kill();
    const beforeKill = await trainerEvents(trainer.spec.logFile);
    const lastEpochBeforeKill = Math.max(...beforeKill.filter((entry) => entry.event === 'training.epoch').map((entry) => entry.epoch ?? 0));
    expect(lastEpochBeforeKill).toBeLessThan(EPOCHS);

    await trainer.start();
    await trainer.waitUntilReady(30_000);
    const run = await waitForRunToFinish(registry, id);

    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    // The registry records the restart as a second start of the train step.
    expect(run.steps.find((step) => step.name === 'train')?.attempts).toBeGreaterThanOrEqual(2);
    expect(run.epochs.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, index) => index + 1));

    // The new trainer resumed from a checkpoint at or after the epochs recorded before the kill, and trained on
    // from the epoch after it: not from epoch 1.
    const afterRestart = (await trainerEvents(trainer.spec.logFile)).slice(beforeKill.length);
    const resumed = afterRestart.find((entry) => entry.event === 'training.resumed');
    expect(resumed?.fromEpoch).toBeGreaterThan(recordedBeforeKill);
    expect(resumed?.fromEpoch).toBeLessThanOrEqual(lastEpochBeforeKill + 1);
    const epochsAfterRestart = afterRestart.filter((entry) => entry.event === 'training.epoch').map((entry) => entry.epoch);
    expect(epochsAfterRestart[0]).toBe(resumed?.fromEpoch);
    expect(epochsAfterRestart).toHaveLength(EPOCHS - (resumed?.fromEpoch ?? 1) + 1);

    // The loss curve continues across the restart instead of jumping back to where training started.
    const fromEpoch = resumed?.fromEpoch ?? 1;
    const [first, checkpointed, next] = [run.epochs[0].loss, run.epochs[fromEpoch - 2].loss, run.epochs[fromEpoch - 1].loss];
    expect(Math.abs(next - checkpointed)).toBeLessThan(Math.abs(next - first));
  });

  it('stops early after a SIGKILL exactly where it would have, keeping the best epoch of before the kill', async () => {
    const trainer = platform.local?.services.trainer;
    if (!trainer) throw new Error('this test kills a local trainer process; run it without SLIPWAY_E2E_*_URL');
    const registry = platform.urls['model-registry'];
    const patience = 100;
    const base = demoPipeline();
    const earlyStopping = { monitor: 'valLoss' as const, patience };
    const pipeline = { ...base, name: 'iris-crash-early-stop', model: { ...base.model, spec: { ...base.model.spec, epochs: EPOCHS, earlyStopping } } };
    const { id } = await submitRun(registry, pipeline);

    // The demo's validation loss bottoms out early (epoch 19 for its seeds), so the best epoch comes before the kill.
    await waitFor('30 epochs to be recorded', async () => {
      const { body } = await getJson<Run>(`${registry}/api/runs/${id}`);
      return body.epochs.length >= 30 ? true : undefined;
    });
    await trainer.kill();
    const beforeKill = await trainerEvents(trainer.spec.logFile);
    await trainer.start();
    await trainer.waitUntilReady(30_000);
    const run = await waitForRunToFinish(registry, id);

    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const resumed = (await trainerEvents(trainer.spec.logFile)).slice(beforeKill.length).find((entry) => entry.event === 'training.resumed');
    const fromEpoch = resumed?.fromEpoch ?? 1;
    expect(fromEpoch).toBeGreaterThan(30);
    const stopped = run.steps.find((step) => step.name === 'train')?.earlyStopped;
    if (!stopped) throw new Error(`the train step did not stop early: ${JSON.stringify(run.steps)}`);
    // Only the early-stopping state carried in the checkpoint knows a best epoch from before the restart; a
    // training that forgot it would count its patience from an epoch after fromEpoch.
    expect(stopped.bestEpoch).toBeLessThan(fromEpoch);
    expect(stopped.atEpoch).toBe(stopped.bestEpoch + patience);
    expect(stopped.atEpoch).toBeLessThan(EPOCHS);
    expect(run.epochs.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: stopped.atEpoch }, (_, index) => index + 1));
    const best = run.epochs[stopped.bestEpoch - 1];
    expect(Math.min(...run.epochs.map((epoch) => epoch.valLoss ?? Infinity))).toBe(best.valLoss);
    // The registered model has the best epoch's weights, not the last epoch's.
    expect(run.metrics === null ? undefined : metricValue(run.metrics, 'validation.loss')).toBeCloseTo(best.valLoss ?? Number.NaN, 4);
  });
});
