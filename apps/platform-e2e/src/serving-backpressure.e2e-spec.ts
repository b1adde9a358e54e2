import { getJson, postJson } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';

describe('a full model queue answers 429 with Retry-After', () => {
  let platform: PlatformUnderTest;

  beforeAll(async () => {
    // A long batching delay keeps requests queued, so a queue of two fills with the third concurrent request.
    platform = await startPlatformUnderTest({ env: { SLIPWAY_BATCH_MAX_QUEUE: '2', SLIPWAY_BATCH_MAX_DELAY_US: '300000' } });
    const registry = platform.urls['model-registry'];
    await waitForRunToFinish(registry, (await submitRun(registry, demoPipeline())).id);
    await waitFor('serving to load the model', async () => ((await getJson(`${platform.urls.serving}/v2/models/iris/ready`)).status === 200 ? true : undefined));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses what does not fit and serves what does', async () => {
    const { rows, features } = heldOutTestRows(demoPipeline().dataset);
    const body = v2RequestFor(rows.slice(0, 1), features);
    const url = `${platform.urls.serving}/v2/models/iris/infer`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type'), body: (await response.json()) as { error?: string } };
      }),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(2);
    expect(refused).toHaveLength(4);
    for (const answer of refused) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.contentType).toBe('application/json');
      expect(answer.body.error).toContain('iris');
    }
    expect((await postJson(url, body)).status).toBe(200);
  });
});
