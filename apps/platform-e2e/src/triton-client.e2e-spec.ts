import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run, V2ModelMetadata } from '@slipway/contracts';
import { getJson } from './support/http';
import { heldOutTestRows } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { runPython, setUpPythonVenv } from './support/python-venv';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';

const CHECK_SCRIPT = 'apps/platform-e2e/python/triton_http_check.py';

describe('the real tritonclient[http] Python package against serving', () => {
  let platform: PlatformUnderTest;
  let run: Run;
  let workDir: string;
  const pipeline = demoPipeline();

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'slipway-triton-client-'));
    // The venv (pip from PyPI the first time, cached after) builds while the model trains.
    const [started] = await Promise.all([startPlatformUnderTest(), setUpPythonVenv()]);
    platform = started;
    const submitted = await submitRun(platform.urls['model-registry'], pipeline);
    run = await waitForRunToFinish(platform.urls['model-registry'], submitted.id);
  }, 420_000);

  afterAll(async () => {
    await platform?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('passes health, metadata, JSON and binary infer and statistics checks on the held-out rows', async () => {
    expect(run.status).toBe('succeeded');
    const serving = platform.urls.serving;
    const model = pipeline.model.name;
    const version = String(run.modelVersion?.version);
    await waitFor('serving to load the new version', async () => {
      const answer = await getJson<V2ModelMetadata>(`${serving}/v2/models/${model}`);
      return answer.status === 200 && answer.body.versions.includes(version) ? true : undefined;
    });

    const { rows, features, label } = heldOutTestRows(pipeline.dataset);
    const rowsFile = join(workDir, 'held-out-rows.json');
    const document = {
      features: Object.fromEntries(features.map((name) => [name, rows.map((row) => Number(row[name]))])),
      labels: rows.map((row) => row[label]),
    };
    await writeFile(rowsFile, JSON.stringify(document));

    const result = await runPython(CHECK_SCRIPT, ['--url', serving, '--model', model, '--model-version', version, '--rows', rowsFile]);
    // The script's lines name every check that passed or failed: shown whole when it fails.
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('all checks passed') });
  });
});
