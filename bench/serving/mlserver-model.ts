import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runLogged } from './logged-command';
import { MlserverBenchError } from './mlserver-bench.error';

/** The folder MLServer starts from (model.joblib, model-settings.json) and the same fitted pipeline as ONNX. */
export interface MlserverModel {
  name: string;
  dir: string;
  onnxFile: string;
  /** Held-out iris rows (float32 values), for checking that both servers answer alike. */
  checkRows: { input: string; rows: number[][]; classes: string[] };
  /** The venv's bin folder: mlserver, python. */
  venvBin: string;
}

/** The model name make_model.py writes into model-settings.json; Slipway imports the ONNX file under it too. */
export const MLSERVER_MODEL_NAME = 'sk-iris';
const TOOLS = 'tools/python/mlserver-bench';

/**
 * Builds (or reuses) .tools/mlserver-venv, then trains the pipeline into `<parentDir>/sk-iris`, named after the
 * model so MLServer finds the folder and the name agreeing. Both steps log to `logFile`.
 */
export async function makeMlserverModel(workspaceRoot: string, parentDir: string, logFile: string): Promise<MlserverModel> {
  const venv = join(workspaceRoot, '.tools/mlserver-venv');
  const dir = join(parentDir, MLSERVER_MODEL_NAME);
  await runLogged('bash', [join(workspaceRoot, 'tools/python/setup-venv.sh'), 'mlserver'], logFile);
  await runLogged(join(venv, 'bin/python'), [join(workspaceRoot, TOOLS, 'make_model.py'), dir], logFile);
  const settings = JSON.parse(await readFile(join(dir, 'model-settings.json'), 'utf8')) as { name?: string };
  if (settings.name !== MLSERVER_MODEL_NAME) {
    throw new MlserverBenchError(`${join(dir, 'model-settings.json')} names the model "${settings.name}", but the bench serves "${MLSERVER_MODEL_NAME}" on both servers`);
  }
  const checkRows = JSON.parse(await readFile(join(dir, 'check-rows.json'), 'utf8')) as MlserverModel['checkRows'];
  return { name: MLSERVER_MODEL_NAME, dir, onnxFile: join(dir, 'model.onnx'), checkRows, venvBin: join(venv, 'bin') };
}
