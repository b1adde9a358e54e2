import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pipelineSpecSchema, type Run } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { getJson } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { OTLP_SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, waitForRunToFinish } from './support/runs';

/** The W3C trace context a traced client (a CI job, a gateway) sends along. */
function callerTrace(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function postTraced<T>(url: string, traceparent: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', traceparent }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

describe('traces over OTLP/HTTP: a run across the services, an inference on serving', () => {
  const pipeline = demoPipeline();
  const runTrace = callerTrace();
  let receiver: OtlpReceiver;
  let platform: PlatformUnderTest;
  let run: Run;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    platform = await startPlatformUnderTest({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    const submitted = await postTraced<Run>(`${platform.urls['model-registry']}/api/runs`, runTrace.traceparent, { pipeline: pipelineSpecSchema.parse(pipeline) });
    expect(submitted.status).toBe(201);
    run = await waitForRunToFinish(platform.urls['model-registry'], submitted.body.id);
    expect(run.status).toBe('succeeded');
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
  });

  it('puts the REST call and every job of the run into the caller’s trace: model-registry, data-prep, trainer', async () => {
    const inRun = (spans: ReceivedSpan[], service: string, kind: number) =>
      spans.find((span) => span.traceId === runTrace.traceId && span.service === service && span.kind === kind);
    const hops = await receiver.waitFor('request and job spans of the run', (spans) => {
      const found = {
        request: inRun(spans, 'model-registry', OTLP_SPAN_KIND.server),
        prepare: inRun(spans, 'data-prep', OTLP_SPAN_KIND.consumer),
        train: inRun(spans, 'trainer', OTLP_SPAN_KIND.consumer),
        register: inRun(spans, 'model-registry', OTLP_SPAN_KIND.consumer),
      };
      return Object.values(found).every(Boolean) ? (found as Record<keyof typeof found, ReceivedSpan>) : undefined;
    });
    expect(hops.request).toMatchObject({ name: 'POST /api/runs', parentSpanId: runTrace.spanId, attributes: { 'http.response.status_code': 201 } });
    // Each job span covers its job and continues from the span that queued it, so the hops form one tree.
    const ids = new Set(receiver.spans.filter((span) => span.traceId === runTrace.traceId).map((span) => span.spanId));
    for (const job of [hops.prepare, hops.train, hops.register]) {
      expect(job.attributes['bullmq.job.id']).toEqual(expect.any(String));
      expect(ids.has(job.parentSpanId ?? '')).toBe(true);
    }
  });

  it('writes the run’s trace id into the trainer’s JSON log lines of the job', async () => {
    const logFile = platform.local?.services.trainer.spec.logFile;
    if (!logFile) throw new Error('this suite starts the services itself; the trainer log file is unknown');
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const jobLines = lines.filter((line) => (line['message'] as { runId?: string } | undefined)?.runId === run.id);
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line['traceId']).toBe(runTrace.traceId);
  });

  it('gives an inference request one serving span, named after the model, with its version and batch size', async () => {
    if (!run.modelVersion || !pipeline.dataset) throw new Error(`run ${run.id} registered no model version, or the demo pipeline names no data set`);
    const { model, version } = run.modelVersion;
    const versionUrl = `${platform.urls.serving}/v2/models/${model}/versions/${version}`;
    await waitFor('serving to load the new version', async () => ((await getJson(`${versionUrl}/ready`)).status === 200 ? true : undefined));
    const { rows, features } = heldOutTestRows(pipeline.dataset);
    const inferTrace = callerTrace();
    const answer = await postTraced(`${versionUrl}/infer`, inferTrace.traceparent, v2RequestFor(rows, features));
    expect(answer.status).toBe(200);

    const span = await receiver.waitFor('serving span of the inference', (spans) => spans.find((received) => received.traceId === inferTrace.traceId && received.service === 'serving'));
    expect(span).toMatchObject({
      name: `infer ${model}`,
      kind: OTLP_SPAN_KIND.server,
      parentSpanId: inferTrace.spanId,
      attributes: { 'slipway.model': model, 'slipway.model.version': version, 'slipway.inference.batch_size': rows.length },
    });
    expect(receiver.spans.filter((received) => received.traceId === inferTrace.traceId)).toHaveLength(1);
  });
});
