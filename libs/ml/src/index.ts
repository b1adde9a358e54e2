export * from './errors/permanent-ml.error';
export * from './errors/dataset.error';
export * from './errors/data-source-unavailable.error';
export * from './errors/transform-input.error';
export * from './errors/model-spec.error';
export * from './errors/backend-unavailable.error';
export * from './errors/model-bundle.error';
export * from './errors/checkpoint.error';

export * from './dataset/csv-record';
export * from './dataset/parse-csv';
export { stratifiedSplit, type Splits } from './dataset/split/stratified-split';
export { encodeColumns, transformWidth, type EncodedFeatures, type RawValue } from './dataset/encode';
export * from './dataset/prepare-dataset';
export * from './dataset/prepared-dataset-store';
export * from './dataset/reference/csv-drift-reference';

export * from './backend/init-tensorflow';

export * from './model/build-model';
export * from './model/parameter-budget';
export * from './model/model-manifest.schema';
export * from './model/save-model';
export * from './model/load-model';
export * from './model/load-model-bundle';
export * from './model/predict';

export * from './trees';

export * from './training/train-model';
export * from './training/model-metrics';
export * from './training/train-in-worker-thread';
export { stopsEarly } from './training/early-stopping';
