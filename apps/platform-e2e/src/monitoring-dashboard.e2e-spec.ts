import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runTrainingCurvesSchema, type DashboardSnapshot, type PipelineSpecInput, type Run } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { launchHeadlessChromium, type HeadlessBrowser } from './support/browser';
import { getJson } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, WORKSPACE_ROOT, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';

/** Git-ignored (tmp/); CI keeps it as an artifact. */
const SCREENSHOTS = join(WORKSPACE_ROOT, 'tmp/screenshots');

/** Two short trainings of a grid and an evaluation picking the better: a run whose steps are not the demo's. */
function gridPipeline(dataset: ReturnType<typeof demoPipeline>['dataset']): PipelineSpecInput {
  return {
    name: 'iris-dashboard-grid',
    steps: [
      { name: 'prepare', kind: 'prepare', params: { dataset } },
      {
        name: 'train',
        kind: 'train',
        inputs: { dataset: 'prepare' },
        params: { model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }], epochs: 5 }, grid: { learningRate: [0.01, 0.03] } },
      },
      { name: 'evaluate', kind: 'evaluate', inputs: { models: 'train' }, params: { metric: 'testAccuracy' } },
    ],
  };
}

describe('monitoring dashboard in a real browser', () => {
  let platform: PlatformUnderTest;
  let browser: HeadlessBrowser;
  let run: Run;
  let gridRun: Run;
  const pipeline = demoPipeline();

  beforeAll(async () => {
    platform = await startPlatformUnderTest();
    run = await waitForRunToFinish(platform.urls['model-registry'], (await submitRun(platform.urls['model-registry'], pipeline)).id);
    expect(run.status).toBe('succeeded');
    gridRun = await waitForRunToFinish(platform.urls['model-registry'], (await submitRun(platform.urls['model-registry'], gridPipeline(pipeline.dataset))).id);
    expect(gridRun.status).toBe('succeeded');
    const version = run.modelVersion?.version;
    await waitFor('serving to load the new version', async () => ((await getJson(`${platform.urls.serving}/v2/models/iris/versions/${version}/ready`)).status === 200 ? true : undefined));
    const { rows, features } = heldOutTestRows(pipeline.dataset);
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${platform.urls.serving}/v2/models/iris/versions/${version}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(v2RequestFor(rows, features)) });
      expect(response.status).toBe(200);
    }
    browser = await launchHeadlessChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('serves every dashboard figure as JSON too', async () => {
    const snapshot = await waitFor('the prediction batches to reach monitoring', async () => {
      const { body } = await getJson<DashboardSnapshot>(`${platform.urls.monitoring}/api/dashboard`);
      return body.inference.length > 0 ? body : undefined;
    });
    expect(snapshot.registryError).toBeNull();
    expect(snapshot.runs?.find((r) => r.id === run.id)?.steps).toEqual({ prepare: 'succeeded', train: 'succeeded', register: 'succeeded', promote: 'succeeded' });
    const gridGroups = snapshot.runs?.find((r) => r.id === gridRun.id)?.stepGroups ?? [];
    expect(gridGroups.map((group) => [group.step, group.rows])).toEqual([
      ['prepare', 1],
      ['train', 2],
      ['evaluate', 1],
    ]);
    expect(gridGroups[1]).toMatchObject({ status: 'succeeded', statuses: { succeeded: 2 } });
    expect(snapshot.models?.find((m) => m.name === 'iris')?.aliases['production']).toBe(run.modelVersion?.version);
    expect(snapshot.inference[0]).toMatchObject({ model: 'iris', version: run.modelVersion?.version, requests: 10, errors: 0 });
    expect(snapshot.queues['training']).toBeDefined();
  });

  it('shows the run with its steps, its training curve and the latency chart, updating live', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await page.goto(platform.urls.monitoring);
    expect(response?.status()).toBe(200);

    const row = page.locator(`#runs tr[data-run-id="${run.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.locator('.chip[data-step]').allTextContents()).toEqual(run.steps.map((step) => step.name));
    expect(await row.locator('.chip.succeeded[data-step]').count()).toBe(run.steps.length);
    // A grid's trainings share one chip, with their count.
    const gridRow = page.locator(`#runs tr[data-run-id="${gridRun.id}"]`);
    await gridRow.waitFor();
    expect(await gridRow.locator('.chip[data-step]').allTextContents()).toEqual(['prepare', 'train \u00d72', 'evaluate']);
    expect(await gridRow.locator('.chip[data-step="train"]').getAttribute('title')).toBe('train: 2 succeeded');

    // Loss and accuracy for every epoch of every training: the demo's, and each of the grid's apart.
    const curves = await Promise.all([run, gridRun].map(async ({ id }) => runTrainingCurvesSchema.parse((await getJson(`${platform.urls.monitoring}/api/runs/${id}/curves`)).body)));
    const trainings = curves.flatMap((curve) => curve.trainings);
    expect(trainings.map((training) => training.epochs.length)).toEqual([run.epochs.length, 5, 5]);
    const points = trainings.reduce((sum, training) => sum + 2 * training.epochs.length, 0);
    // Browser-side expressions as strings: this project compiles without the DOM library.
    await page.waitForFunction(`Number(document.querySelector('#training-chart').getAttribute('data-points')) >= ${points}`);
    expect(await page.locator('#training-chart .u-legend').textContent()).toContain('learningRate=0.03 loss');
    expect(await page.locator('#training-chart canvas').count()).toBeGreaterThan(0);
    await page.waitForFunction(`Number(document.querySelector('#latency-chart').getAttribute('data-points')) >= 4`);
    expect(await page.locator('#latency-chart canvas').count()).toBeGreaterThan(0);
    const version = `iris@${run.modelVersion?.version}`;
    await page.locator(`#inference tr[data-model-version="${version}"]`).waitFor();
    await page.locator('#queues tr[data-queue="training"]').waitFor();
    await page.waitForFunction(`document.querySelector('#status').className === 'live'`);

    await page.screenshot({ path: join(SCREENSHOTS, 'monitoring-dashboard.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
