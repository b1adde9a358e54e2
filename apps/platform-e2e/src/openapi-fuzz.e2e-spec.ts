import { getJson } from './support/http';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { runVenvTool, setUpPythonVenv } from './support/python-venv';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';

/**
 * schemathesis (pinned in tools/python/requirements.txt) generates requests from each service's OpenAPI document —
 * valid ones, edge cases and garbage — and checks that none gets a 5xx and that undeclared methods answer 405.
 * Bounded (examples per operation) so CI stays fast; the seed is printed with any failure to replay it.
 */
describe('every OpenAPI document, fuzzed by schemathesis against the running service', () => {
  let platform: PlatformUnderTest;

  beforeAll(async () => {
    await setUpPythonVenv();
    platform = await startPlatformUnderTest();
    const run = await waitForRunToFinish(platform.urls['model-registry'], (await submitRun(platform.urls['model-registry'], demoPipeline())).id);
    expect(run.status).toBe('succeeded');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('finds no server error and no undeclared method that is not a 405 on serving', async () => {
    const result = await runVenvTool('schemathesis', [
      'run',
      `${platform.urls.serving}/openapi.json`,
      '--checks',
      'not_a_server_error,unsupported_method',
      '--max-examples',
      '20',
      '--no-color',
    ]);
    expect({ code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ code: 0, output: '' });
    expect(result.output).toMatch(/Test cases:\s+\d+ generated, \d+ passed/);
    // The fuzz may unload the model; the reconcile brings it back, as production still points at it.
    expect((await getJson(`${platform.urls.serving}/v2/models/iris/ready`)).status).toBeLessThan(500);
  });
});
