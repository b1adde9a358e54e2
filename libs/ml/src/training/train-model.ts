import { describeZodError, isForestSpec, modelSpecSchema, type ArtifactRef, type ModelSpec, type PreparedDatasetRef, type TfBackend, type TrainedModel, type TrainingProgress } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { ModelSpecError } from '../errors/model-spec.error';
import { trainForest } from './train-forest';
import { trainNetwork } from './train-network';

export interface TrainModelRequest {
  store: ArtifactStore;
  /** The prepare step's result: where the encoded splits and the transform are. */
  dataset: PreparedDatasetRef;
  modelSpec: ModelSpec;
  /** Backend to start if none is active yet in this thread (networks only); see initTensorflow. */
  backendPreference: 'auto' | TfBackend;
  /** Called after every epoch (for a forest: after every tenth of its trees), e.g. to forward job.updateProgress. */
  onEpoch?: (progress: TrainingProgress) => void;
  /**
   * Networks: save a checkpoint (weights, optimizer state, history, early stopping's state) after every this many
   * epochs, after the last one and where early stopping ends the training; progress then carries the latest
   * checkpoint's ref. A forest has no checkpoints: it is retrained from its seed, to the same trees.
   * @defaultValue 1
   */
  checkpointEvery?: number;
  /** A checkpoint of this same training (from an earlier progress report) to continue from instead of starting over. */
  resumeFrom?: ArtifactRef;
}

/**
 * Trains the spec's model — a network or a random forest — for the data set's task, evaluates it on the validation
 * and test splits and stores it. Runs on the calling thread: services should use trainInWorkerThread.
 * @throws ModelSpecError naming the field of a spec that fails its schema or does not fit the data set.
 * @throws DatasetError when the prepared splits do not match their transform.
 * @throws CheckpointError when `resumeFrom` belongs to another training.
 */
export async function trainModel(request: TrainModelRequest): Promise<TrainedModel> {
  const spec = parseSpec(request.modelSpec);
  const { checkpointEvery = 1 } = request;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new RangeError(`checkpointEvery must be a positive integer, got ${checkpointEvery}`);
  }
  return isForestSpec(spec) ? trainForest(request, spec) : trainNetwork(request, spec);
}

function parseSpec(spec: ModelSpec): ModelSpec {
  const parsed = modelSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
  throw new ModelSpecError(`invalid model spec: ${describeZodError(parsed.error)}`, field);
}
