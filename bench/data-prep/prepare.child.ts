/**
 * One measurement in a process of its own, so the peak RSS is this preparation's alone: prepares the CSV given as
 * argv[2] (inside the data root argv[3]) into a store at argv[4] and sends the figures to the bench over IPC.
 * With argv[2] = "--baseline" it only loads the code, for the RSS every such process has anyway.
 */
import { datasetSourceSchema } from '@slipway/contracts';
import { prepareDataset } from '@slipway/ml';
import { FileArtifactStore } from '@slipway/storage';
import { LABEL } from './generate-csv';

export interface ChildFigures {
  durationMs: number;
  maxRssMiB: number;
  rowCounts?: { train: number; validation: number; test: number };
  width?: number;
  kinds?: Record<string, number>;
  datasetDigest?: string;
}

const MIB_PER_KIB = 1 / 1024;

async function main(): Promise<ChildFigures> {
  const [file, dataRoot, storeRoot] = process.argv.slice(2);
  if (file === '--baseline') return { durationMs: 0, maxRssMiB: process.resourceUsage().maxRSS * MIB_PER_KIB };
  const store = new FileArtifactStore(storeRoot);
  const startedAt = performance.now();
  const ref = await prepareDataset({ store, source: datasetSourceSchema.parse({ uri: file, labelColumn: LABEL }), dataRoot });
  const durationMs = performance.now() - startedAt;
  const kinds: Record<string, number> = {};
  for (const column of ref.schema.columns) kinds[column.kind] = (kinds[column.kind] ?? 0) + 1;
  const manifest = JSON.parse((await store.get(ref.dataset.digest)).toString('utf8')) as { width: number };
  return { durationMs, maxRssMiB: process.resourceUsage().maxRSS * MIB_PER_KIB, rowCounts: ref.rowCounts, width: manifest.width, kinds, datasetDigest: ref.dataset.digest };
}

main().then(
  (figures) => process.send?.(figures, () => process.disconnect()),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
