import type { V2InferResponse } from '@slipway/contracts';
import { MlserverBenchError } from './mlserver-bench.error';
import type { MlserverModel } from './mlserver-model';

/** Largest allowed difference between the two servers' probabilities (float32 arithmetic on both sides). */
export const PROBABILITY_TOLERANCE = 1e-5;

export interface Agreement {
  rows: number;
  largestProbabilityDifference: number;
}

interface Answer {
  labels: unknown[];
  probabilities: number[];
}

async function infer(url: string, body: unknown, labelOutput: string, probabilityOutput: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new MlserverBenchError(`POST ${url} answered ${response.status}: ${text}`);
  const { outputs } = JSON.parse(text) as V2InferResponse;
  const output = (name: string) => {
    const found = outputs.find((candidate) => candidate.name === name);
    if (!found) throw new MlserverBenchError(`POST ${url} answered without the output "${name}" (outputs: ${outputs.map((o) => o.name).join(', ')})`);
    return found.data as unknown[];
  };
  return { labels: output(labelOutput), probabilities: output(probabilityOutput).map(Number) };
}

/**
 * Sends the held-out rows to both servers in one request each: Slipway answers the ONNX graph's `label` and
 * `probabilities`; MLServer's scikit-learn runtime answers predict() unless the request names its outputs, so it
 * asks for predict and predict_proba.
 * @throws MlserverBenchError naming the first row whose label differs, or the largest probability difference
 */
export async function checkAgreement(slipwayUrl: string, mlserverUrl: string, model: MlserverModel): Promise<Agreement> {
  const { input, rows } = model.checkRows;
  const inputs = [{ name: input, datatype: 'FP32', shape: [rows.length, rows[0]?.length ?? 0], data: rows.flat() }];
  const slipway = await infer(slipwayUrl, { inputs }, 'label', 'probabilities');
  const mlserver = await infer(mlserverUrl, { inputs, outputs: [{ name: 'predict' }, { name: 'predict_proba' }] }, 'predict', 'predict_proba');
  const differentRow = rows.findIndex((_, row) => slipway.labels[row] !== mlserver.labels[row]);
  if (differentRow !== -1 || slipway.labels.length !== rows.length || mlserver.labels.length !== rows.length) {
    throw new MlserverBenchError(
      `Slipway and MLServer do not predict the same labels for the held-out iris rows (first difference at row ${differentRow}): ` +
        `Slipway ${JSON.stringify(slipway.labels)}, MLServer ${JSON.stringify(mlserver.labels)}; they are not serving the same model`,
    );
  }
  const difference = Math.max(...mlserver.probabilities.map((value, index) => Math.abs(value - (slipway.probabilities[index] ?? Number.NaN))));
  if (!(difference <= PROBABILITY_TOLERANCE) || slipway.probabilities.length !== mlserver.probabilities.length) {
    throw new MlserverBenchError(`Slipway's and MLServer's probabilities differ by up to ${difference} (allowed ${PROBABILITY_TOLERANCE}) on the held-out iris rows; they are not serving the same model`);
  }
  return { rows: rows.length, largestProbabilityDifference: difference };
}
