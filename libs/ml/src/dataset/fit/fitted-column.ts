import type { ColumnKind, FeatureTransform } from '@slipway/contracts';

/** A feature column after fitting on the train split: its transform, or why it was dropped, said as a sentence. */
export type FittedColumn =
  | { kind: Exclude<ColumnKind, 'label' | 'dropped'>; feature: FeatureTransform; action: string; warnings: string[] }
  | { kind: 'dropped'; action: string; warnings: string[] };

export function droppedColumn(reason: string, warnings: string[] = []): FittedColumn {
  return { kind: 'dropped', action: `dropped: ${reason}`, warnings };
}
