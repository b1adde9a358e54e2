// `helm test`: one prediction through serving. When the model is not served yet it runs the demo pipeline first
// (submitted to the registry, followed to the end) and waits for serving to load the promoted version.
// Plain Node (fetch, no dependencies) so it runs in any Slipway image; settings come from the pod's environment.
'use strict';
const { readFileSync } = require('node:fs');

const registry = process.env.SLIPWAY_REGISTRY_URL;
const serving = process.env.SLIPWAY_SERVING_URL;
const model = process.env.SLIPWAY_TEST_MODEL;
const pipelineFile = process.env.SLIPWAY_TEST_PIPELINE;
const deadline = Date.now() + Number(process.env.SLIPWAY_TEST_TIMEOUT_SECONDS) * 1000;

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json };
}

async function until(what, probe) {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function ensureServed() {
  const ready = await call('GET', `${serving}/v2/models/${model}/ready`);
  if (ready.status === 200) return;
  const pipeline = JSON.parse(readFileSync(pipelineFile, 'utf8'));
  const submitted = await call('POST', `${registry}/api/runs`, { pipeline });
  if (submitted.status !== 201) throw new Error(`submitting ${pipelineFile} answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
  console.log(`run ${submitted.body.id} submitted`);
  const run = await until(`run ${submitted.body.id}`, async () => {
    const answer = await call('GET', `${registry}/api/runs/${submitted.body.id}`);
    return ['succeeded', 'failed'].includes(answer.body.status) ? answer.body : undefined;
  });
  if (run.status !== 'succeeded') throw new Error(`run ${run.id} ${run.status}: ${run.error}`);
  console.log(`run ${run.id} succeeded: version ${run.modelVersion && run.modelVersion.version}, test accuracy ${run.metrics && run.metrics.test.accuracy}`);
  await until(`serving to load ${model}`, async () => ((await call('GET', `${serving}/v2/models/${model}/ready`)).status === 200 ? true : undefined));
}

async function main() {
  await until('serving to answer', async () => ((await call('GET', `${serving}/v2/health/ready`)).status === 200 ? true : undefined));
  await ensureServed();
  const metadata = await call('GET', `${serving}/v2/models/${model}`);
  if (metadata.status !== 200) throw new Error(`model metadata answered ${metadata.status}: ${JSON.stringify(metadata.body)}`);
  // One row of ones: any value is a valid input for a model of numeric features such as the demo's.
  const inputs = metadata.body.inputs.map((input) => ({ name: input.name, datatype: input.datatype, shape: [1], data: [1] }));
  const answer = await call('POST', `${serving}/v2/models/${model}/infer`, { id: 'helm-test', inputs });
  if (answer.status !== 200) throw new Error(`infer answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const label = answer.body.outputs.find((output) => output.name === 'label');
  if (!label || label.data.length !== 1) throw new Error(`infer returned no label: ${JSON.stringify(answer.body)}`);
  console.log(`prediction from ${model} version ${answer.body.model_version}: ${label.data[0]}`);
}

main().catch((error) => {
  console.error(`helm test failed: ${error.message}`);
  process.exit(1);
});
