// Entry of the training worker thread (started by trainInWorkerThread): trains off the caller's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { createArtifactStore } from '@slipway/storage';
import { serializeError } from './serialized-error';
import { trainModel } from './train-model';
import type { TrainingWorkerData, TrainingWorkerMessage } from './training-worker-protocol';

const port = parentPort;
if (!port) throw new Error('training.worker runs only as a worker thread started by trainInWorkerThread');
const post = (message: TrainingWorkerMessage): void => port.postMessage(message);
const data = workerData as TrainingWorkerData;

trainModel({
  store: createArtifactStore(data.storeLocation),
  dataset: data.dataset,
  modelSpec: data.modelSpec,
  backendPreference: data.backendPreference,
  checkpointEvery: data.checkpointEvery,
  resumeFrom: data.resumeFrom,
  onEpoch: (progress) => post({ type: 'progress', progress }),
}).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
