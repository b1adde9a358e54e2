import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineSpecSchema, type PipelineSpecInput, type Run, type ShorthandPipelineSpecInput } from '@slipway/contracts';
import { getJson, postJson } from './http';
import { WORKSPACE_ROOT } from './platform-under-test';
import { waitFor } from '@slipway/testing';

/** The demo pipeline in its shorthand form (model, dataset, promotion), which tests vary field by field. */
export function demoPipeline(): ShorthandPipelineSpecInput {
  return JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'pipelines/iris.pipeline.json'), 'utf8')) as ShorthandPipelineSpecInput;
}

/** `token`: sent as the bearer token, which a run promoting to a protected alias needs (promote:<alias>). */
export async function submitRun(registryUrl: string, pipeline: PipelineSpecInput, token?: string): Promise<Run> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const answer = await postJson<Run>(`${registryUrl}/api/runs`, { pipeline: pipelineSpecSchema.parse(pipeline) }, headers);
  if (answer.status !== 201) throw new Error(`submitting ${pipeline.name} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function waitForRunToFinish(registryUrl: string, runId: string): Promise<Run> {
  return waitFor(`run ${runId} to finish`, async () => {
    const { body } = await getJson<Run>(`${registryUrl}/api/runs/${runId}`);
    return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
  });
}
