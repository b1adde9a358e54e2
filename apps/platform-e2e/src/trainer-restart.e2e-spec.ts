import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { getJson } from './support/http';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';
import type { Run } from '@slipway/contracts';

describe('a consumer restarted mid-run picks the work up again from the queue', () => {
  let platform: PlatformUnderTest;

  beforeAll(async () => {
    platform = await startPlatformUnderTest();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('finishes a run whose trainer was restarted during training', async () => {
    const trainer = platform.local?.services.trainer;
    if (!trainer) throw new Error('this test restarts a local trainer process; run it without SLIPWAY_E2E_*_URL');
    const registry = platform.urls['model-registry'];
    const base = demoPipeline();
    const pipeline = { ...base, name: 'iris-long', model: { ...base.model, spec: { ...base.model.spec, epochs: 1_000 } } };
    const { id } = await submitRun(registry, pipeline);

    await waitFor('training to be under way', async () => {
      const { body } = await getJson<Run>(`${registry}/api/runs/${id}`);
      return body.epochs.length >= 3 ? body : undefined;
    });
    const pidBefore = trainer.pid;
    await trainer.stop();
    await trainer.start();
    await trainer.waitUntilReady(30_000);
    expect(trainer.pid).not.toBe(pidBefore);

    const run = await waitForRunToFinish(registry, id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const train = run.steps.find((step) => step.name === 'train');
    expect(train?.attempts).toBeGreaterThanOrEqual(2);
    expect(run.epochs).toHaveLength(1_000);
  });
});
