import { createHash } from 'node:crypto';
import { dataPrepQueue, MEDIA_TYPES, trainingQueue, type ArtifactRef, type PrepareDatasetResult, type TrainedModel } from '@slipway/contracts';
import { redisOptionsFromUrl } from '@slipway/queue';
import { Worker } from 'bullmq';

const ref = (label: string, mediaType: string): ArtifactRef => ({
  digest: `sha256:${createHash('sha256').update(label).digest('hex')}`,
  size: label.length,
  mediaType,
});

/** A prepare step's output that points at nothing real: enough for the registry, which only records refs. */
function preparedOutput(runId: string): PrepareDatasetResult {
  return {
    sourceDigest: ref(`source-${runId}`, MEDIA_TYPES.rawDataset).digest,
    dataset: ref(`dataset-${runId}`, MEDIA_TYPES.preparedDataset),
    transform: ref(`transform-${runId}`, MEDIA_TYPES.transform),
    schema: { columns: [{ name: 'x', kind: 'numeric' }, { name: 'y', kind: 'label' }] },
    rowCounts: { train: 1, validation: 0, test: 1 },
    reused: false,
  };
}

/** A training's output with a made-up accuracy that differs per job, so an evaluation has a winner to pick. */
function trainedOutput(jobId: string, sourceDigest: string, transform: ArtifactRef): TrainedModel {
  const accuracy = 0.9 + (createHash('sha256').update(jobId).digest()[0] ?? 0) / 2_560;
  return {
    sourceDigest,
    model: ref(`model-${jobId}`, MEDIA_TYPES.modelManifest),
    transform,
    backend: 'cpu',
    metrics: { testAccuracy: accuracy, testLoss: 1 - accuracy, testRows: 30 },
    history: [{ epoch: 1, loss: 1 - accuracy, accuracy, durationMs: 0 }],
    trainingDurationMs: 0,
    samplesPerSecond: 0,
  };
}

/**
 * Workers for the data-prep and training queues that answer at once: the bench measures what the platform adds
 * around a step (queueing, the step-finished hop, the engine's decisions), not the step's own work.
 */
export function startNoOpStepWorkers(redisUrl: string, prefix: string, trainingConcurrency: number): Worker[] {
  const options = { connection: redisOptionsFromUrl(redisUrl), prefix };
  return [
    new Worker(dataPrepQueue.name, async (job) => preparedOutput(String(job.data.runId)), { ...options, concurrency: 1 }),
    new Worker(
      trainingQueue.name,
      async (job) => {
        const dataset = job.data.dataset as PrepareDatasetResult;
        return trainedOutput(String(job.id), dataset.sourceDigest, dataset.transform);
      },
      { ...options, concurrency: trainingConcurrency },
    ),
  ];
}
