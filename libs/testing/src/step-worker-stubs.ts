import { createHash } from 'node:crypto';
import {
  dataPrepQueue,
  MEDIA_TYPES,
  prepareDatasetJobSchema,
  trainingQueue,
  type ArtifactRef,
  type PrepareDatasetJob,
  type PrepareDatasetResult,
  type TrainedModel,
} from '@slipway/contracts';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';

const ref = (label: string, mediaType: string): ArtifactRef => ({
  digest: `sha256:${createHash('sha256').update(label).digest('hex')}`,
  size: label.length,
  mediaType,
});

/**
 * A prepare step's output that points at nothing real (enough for the registry, which only records refs), the
 * same for the same source like the real one; an earlier output offered as reusable for that source is returned.
 */
function preparedOutput(job: PrepareDatasetJob): PrepareDatasetResult {
  const source = JSON.stringify(job.source);
  const sourceDigest = ref(`source-${source}`, MEDIA_TYPES.rawDataset).digest;
  const earlier = job.reusable.find((candidate) => candidate.sourceDigest === sourceDigest);
  if (earlier) return { ...earlier.output, reused: true };
  return {
    sourceDigest,
    dataset: ref(`dataset-${source}`, MEDIA_TYPES.preparedDataset),
    transform: ref(`transform-${source}`, MEDIA_TYPES.transform),
    schema: { columns: [{ name: 'x', kind: 'numeric' }, { name: 'y', kind: 'label' }] },
    task: 'classification',
    report: [],
    rowCounts: { train: 1, validation: 1, test: 1 },
    reused: false,
  };
}

/** A training's output with a made-up accuracy that differs per job, so an evaluation has a winner to pick. */
function trainedOutput(jobId: string, sourceDigest: string, transform: ArtifactRef): TrainedModel {
  const accuracy = 0.9 + (createHash('sha256').update(jobId).digest()[0] ?? 0) / 2_560;
  return {
    sourceDigest,
    format: 'slipway-tfjs',
    model: ref(`model-${jobId}`, MEDIA_TYPES.modelManifest),
    transform,
    backend: 'cpu',
    metrics: {
      validation: { task: 'classification', rows: 30, loss: 1 - accuracy, accuracy },
      test: { task: 'classification', rows: 30, loss: 1 - accuracy, accuracy },
    },
    history: [{ epoch: 1, loss: 1 - accuracy, accuracy, durationMs: 0 }],
    trainingDurationMs: 0,
    samplesPerSecond: 0,
  };
}

export interface StepWorkerStubOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** @defaultValue 1 */
  trainingConcurrency?: number;
  /**
   * Scripted failures: a message makes the attempt fail with it (a retry follows while attempts remain);
   * `{ permanent: message }` fails the job for good.
   * @defaultValue never fails
   */
  failure?: (job: Job) => string | { permanent: string } | undefined;
}

/**
 * Workers for the data-prep and training queues that answer at once with well-formed outputs: what the registry
 * records and decides around a step can be tested and measured without preparing data or training a model.
 */
export function startStepWorkerStubs({ connection, prefix, trainingConcurrency = 1, failure = () => undefined }: StepWorkerStubOptions): Worker[] {
  const options = { connection, prefix };
  const failIfScripted = (job: Job) => {
    const scripted = failure(job);
    if (typeof scripted === 'string') throw new Error(scripted);
    if (scripted !== undefined) throw new UnrecoverableError(scripted.permanent);
  };
  return [
    new Worker(
      dataPrepQueue.name,
      async (job) => {
        failIfScripted(job);
        return preparedOutput(prepareDatasetJobSchema.parse(job.data));
      },
      { ...options, concurrency: 1 },
    ),
    new Worker(
      trainingQueue.name,
      async (job) => {
        failIfScripted(job);
        const dataset = job.data.dataset as PrepareDatasetResult;
        return trainedOutput(String(job.id), dataset.sourceDigest, dataset.transform);
      },
      { ...options, concurrency: trainingConcurrency },
    ),
  ];
}
