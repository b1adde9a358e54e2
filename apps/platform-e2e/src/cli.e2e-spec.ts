import type { ModelLineage, RegisteredModel, Run, RunSummary } from '@slipway/contracts';
import { findFreePort } from '@slipway/local-runtime';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { slipway } from './support/slipway-cli';

const PROMOTER_TOKEN = 'cli-e2e-promoter-token-0123456789';

describe('the slipway CLI', () => {
  let platform: PlatformUnderTest;
  let registry: string;

  beforeAll(async () => {
    platform = await startPlatformUnderTest({
      env: { SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'cli-e2e', token: PROMOTER_TOKEN, scopes: ['promote:production'] }]), SLIPWAY_PROTECTED_ALIASES: 'production' },
    });
    registry = platform.urls['model-registry'];
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('runs a pipeline file to the end and reports it', async () => {
    const result = await slipway('run', 'pipelines/iris.pipeline.json', '--registry', registry, '--token', PROMOTER_TOKEN, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as Run;
    expect(run.status).toBe('succeeded');

    const list = await slipway('runs', 'ls', '--json', '--registry', registry);
    expect((JSON.parse(list.stdout) as RunSummary[]).map((r) => r.id)).toContain(run.id);
    const show = await slipway('runs', 'show', run.id, '--registry', registry);
    expect(show.stdout).toContain(run.id);
    expect(show.stdout).toMatch(/test: +accuracy \d\.\d{4}/);
    const models = await slipway('models', 'ls', '--json', '--registry', registry);
    expect((JSON.parse(models.stdout) as RegisteredModel[]).map((m) => m.name)).toContain('iris');
  });

  it('exits 2 with the reason for an unknown run', async () => {
    const result = await slipway('runs', 'show', 'run-nope', '--registry', registry);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('run-nope');
  });

  it('exits 2 naming the bad field of an invalid pipeline file, before anything is queued', async () => {
    const result = await slipway('run', 'apps/platform-e2e/src/fixtures/bad-epochs.pipeline.yaml', '--registry', registry);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('model.spec.epochs');
    expect(result.stderr).toMatch(/line \d+/);
  });

  it('exits 3 naming the URL when the registry is unreachable', async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const result = await slipway('runs', 'ls', '--registry', closed);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(closed);
  });
  it('moves a protected alias only with a token, records who did it, and shows the lineage', async () => {
    const run = JSON.parse((await slipway('run', 'pipelines/iris.pipeline.json', '--registry', registry, '--token', PROMOTER_TOKEN, '--json')).stdout) as Run;
    const version = String(run.modelVersion?.version);
    const denied = await slipway('models', 'alias', 'set', 'iris', 'production', version, '--registry', registry);
    expect(denied.code).toBe(5);
    expect(denied.stderr).toContain('promote:production');
    const moved = await slipway('models', 'alias', 'set', 'iris', 'production', version, '--registry', registry, '--token', PROMOTER_TOKEN);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect((await slipway('models', 'alias', 'set', 'iris', 'staging', version, '--registry', registry)).code).toBe(0);
    const history = JSON.parse((await slipway('models', 'alias', 'history', 'iris', 'staging', '--registry', registry, '--json')).stdout) as { actor: string; toVersion: number }[];
    expect(history[0]).toMatchObject({ actor: 'api', toVersion: Number(version) });

    const lineage = JSON.parse((await slipway('lineage', 'iris@staging', '--registry', registry, '--json')).stdout) as ModelLineage;
    expect(lineage.dataset?.digest).toBe(run.datasetDigest);
    // The first test ran this pipeline already, so this run's version may come from the cache: lineage names its producer.
    const register = run.steps.find((step) => step.name === 'register');
    expect(lineage.run?.id).toBe(register?.cache.cachedFrom?.runId ?? run.id);
    expect(lineage.version.version).toBe(Number(version));
    expect(lineage.servedAs).toEqual(expect.arrayContaining(['staging']));
    expect((await slipway('lineage', 'iris', '--registry', registry)).code).toBe(2);
  });
});
