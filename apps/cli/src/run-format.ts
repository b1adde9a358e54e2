import { groupStatus, STEP_STATUSES, type Run, type RunStep, type RunSummary, type StepStatus } from '@slipway/contracts';
import { formatColumnReport, formatMetricsDetails, headlineMetric, splitHeadlines } from './metrics-format';

/** One glyph per step status, shared by every view of a run. */
export const STEP_MARK: Record<StepStatus, string> = {
  pending: '·',
  'waiting-for-quota': '…',
  running: '▸',
  cached: '≡',
  succeeded: '✔',
  failed: '✘',
  skipped: '⊘',
};

/** As wide as the longest status, so the columns after it stay put while statuses change. */
const STATUS_WIDTH = Math.max(...STEP_STATUSES.map((status) => status.length));

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  // Compare after rounding: 999.7 ms (a performance.now() difference) is "1.0 s", not "1000 ms".
  const wholeMs = Math.round(ms);
  return wholeMs < 1_000 ? `${wholeMs} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/** The rows of one pipeline step: its one row, or the trainings of a grid step (named `<step>[<i>]`). */
export interface StepGroup {
  step: string;
  rows: RunStep[];
  isGrid: boolean;
}

/** `run.steps` grouped by pipeline step, in the order the run lists them. */
export function groupSteps(steps: readonly RunStep[]): StepGroup[] {
  const groups = new Map<string, StepGroup>();
  for (const row of steps) {
    const group = groups.get(row.step) ?? { step: row.step, rows: [], isGrid: false };
    group.rows.push(row);
    group.isGrid ||= row.name !== row.step;
    groups.set(row.step, group);
  }
  return [...groups.values()];
}

/** `learningRate=0.03 layers.0.units=16`, in the order of `fields` (the pipeline's grid) when given. */
export function formatGridValues(grid: RunStep['grid'], fields: readonly string[] = []): string {
  const rank = (field: string) => (fields.includes(field) ? fields.indexOf(field) : fields.length);
  return Object.entries(grid ?? {})
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, value]) => `${field}=${value}`)
    .join(' ');
}

/** The fields a grid step varies, as the pipeline file lists them. */
function gridFields(group: StepGroup, pipeline: Run['pipeline']): string[] {
  const spec = pipeline.steps.find((step) => step.name === group.step);
  return spec?.kind === 'train' ? Object.keys(spec.params.grid ?? {}) : [];
}

/** Where each status comes in a grid's counts: what is done first, then what is under way, then what waits. */
const COUNT_ORDER: Record<StepStatus, number> = { succeeded: 0, cached: 1, failed: 2, skipped: 3, running: 4, 'waiting-for-quota': 5, pending: 6 };

/** `grid of 4, 2 at a time: 1 succeeded, 2 running, 1 pending` */
export function formatGridSummary(group: StepGroup, pipeline: Run['pipeline']): string {
  const spec = pipeline.steps.find((step) => step.name === group.step);
  const limit = spec?.kind === 'train' ? spec.params.maxParallelism : undefined;
  const pace = limit !== undefined && limit < group.rows.length ? `, ${limit} at a time` : '';
  const counts = [...STEP_STATUSES]
    .sort((a, b) => COUNT_ORDER[a] - COUNT_ORDER[b])
    .map((status) => ({ status, count: group.rows.filter((row) => row.status === status).length }))
    .filter(({ count }) => count > 0)
    .map(({ status, count }) => `${count} ${status}`);
  return `grid of ${group.rows.length}${pace}: ${counts.join(', ')}`;
}

/** What a row says after its status: how long, where cached outputs came from, how good the model is, why it did not run. */
export function stepNotes(step: RunStep): string[] {
  const notes: string[] = [];
  if (step.durationMs !== null) notes.push(formatDuration(step.durationMs));
  const source = step.cache.cachedFrom;
  if (step.status === 'cached' && source) notes.push(`cached from ${source.runId}/${source.step}`);
  if (step.metrics && (step.status === 'succeeded' || step.status === 'cached')) notes.push(splitHeadlines(step.metrics));
  if (step.earlyStopped) notes.push(`stopped early at epoch ${step.earlyStopped.atEpoch}, kept epoch ${step.earlyStopped.bestEpoch}`);
  if (step.attempts > 1) notes.push(`attempt ${step.attempts}`);
  // A succeeded step may still carry the error of an attempt that was retried; it no longer matters.
  if (step.error && step.status !== 'succeeded' && step.status !== 'cached') notes.push(`— ${step.error}`);
  return notes;
}

/** `▸ train[1]  running   …notes`, the name padded to `nameWidth`, without trailing spaces. */
export function formatStepRow(name: string, status: StepStatus, nameWidth: number, notes: readonly string[]): string {
  return `${STEP_MARK[status]} ${name.padEnd(nameWidth)} ${status.padEnd(STATUS_WIDTH)}  ${notes.filter((note) => note !== '').join('  ')}`.trimEnd();
}

/** Name column width for a step tree whose grid rows sit `childIndent` characters right of the group lines. */
export function stepNameWidth(groups: readonly StepGroup[], childIndent: number): number {
  return Math.max(...groups.flatMap((group) => [group.step.length, ...(group.isGrid ? group.rows.map((row) => row.name.length + childIndent) : [])]));
}

/** Grid values in the pipeline's field order, padded to the widest of their group so the notes after them line up. */
export function paddedGridValues(group: StepGroup, pipeline: Run['pipeline']): (row: RunStep) => string {
  const fields = gridFields(group, pipeline);
  const width = Math.max(...group.rows.map((row) => formatGridValues(row.grid, fields).length));
  return (row) => formatGridValues(row.grid, fields).padEnd(width);
}

/** `epoch 12/30, acc 0.867`: where a running training is, in a few characters. */
function compactProgress(step: RunStep): string {
  if (step.status !== 'running' || !step.progress) return '';
  const { epoch, epochs, accuracy, loss } = step.progress;
  return `epoch ${epoch}/${epochs}, ${accuracy === undefined ? `loss ${loss.toFixed(3)}` : `acc ${accuracy.toFixed(3)}`}`;
}

/** The steps of a run, a grid's trainings indented under their step with the values each tries. */
export function formatSteps(run: Run): string[] {
  const groups = groupSteps(run.steps);
  const nameWidth = stepNameWidth(groups, 2);
  return groups.flatMap((group) => {
    if (!group.isGrid) return group.rows.map((row) => `  ${formatStepRow(row.name, row.status, nameWidth, [compactProgress(row), ...stepNotes(row)])}`);
    const gridValues = paddedGridValues(group, run.pipeline);
    return [
      `  ${formatStepRow(group.step, groupStatus(group.rows.map((row) => row.status)), nameWidth, [formatGridSummary(group, run.pipeline)])}`,
      ...group.rows.map((row) => `    ${formatStepRow(row.name, row.status, nameWidth - 2, [gridValues(row), compactProgress(row), ...stepNotes(row)])}`),
    ];
  });
}

export function formatRunDetails(run: Run): string {
  const resumed = run.resumes > 0 ? `, resumed ${run.resumes}×` : '';
  const lines = [
    `run ${run.id} (${run.pipelineName}): ${run.status}`,
    `  team ${run.team}, created ${run.createdAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}${resumed}`,
    ...formatSteps(run),
  ];
  if (run.datasetDigest) lines.push(`  dataset ${run.datasetDigest}`);
  if (run.backend) lines.push(`  backend ${run.backend}, ${run.epochs.length} epochs`);
  const prepared = run.steps.find((step) => step.dataset !== null)?.dataset;
  if (prepared && prepared.columns.length > 0) {
    const { train, validation, test } = prepared.rowCounts;
    lines.push(`  data: ${prepared.task}, ${train} train / ${validation} validation / ${test} test rows`, ...formatColumnReport(prepared.columns, '    '));
  }
  if (run.metrics) lines.push('  metrics of the run\'s model:', ...formatMetricsDetails(run.metrics, '    '));
  if (run.modelVersion) lines.push(`  registered ${run.modelVersion.model} v${run.modelVersion.version}${run.promotedTo ? `, promoted to ${run.promotedTo}` : ', not promoted'}`);
  if (run.error) lines.push(`  error: ${run.error}`);
  return lines.join('\n');
}

export function formatRunTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs yet — submit one with `slipway run <pipeline-file>`';
  const rows = runs.map((run) => [
    run.id,
    run.pipelineName,
    run.status,
    run.metrics ? headlineMetric(run.metrics) : '—',
    run.modelVersion ? `${run.modelVersion.model}@${run.modelVersion.version}` : '—',
    run.createdAt,
  ]);
  return formatTable(['RUN', 'PIPELINE', 'STATUS', 'METRIC', 'VERSION', 'CREATED'], rows);
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
