import type { Run, RunStep, RunSummary } from '@slipway/contracts';

/** One glyph per step status, shared by every view of a run. */
export const STEP_MARK: Record<RunStep['status'], string> = { pending: '·', running: '▸', succeeded: '✔', failed: '✘' };

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  // Compare after rounding: 999.7 ms (a performance.now() difference) is "1.0 s", not "1000 ms".
  const wholeMs = Math.round(ms);
  return wholeMs < 1_000 ? `${wholeMs} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

export function formatSteps(run: Run): string[] {
  return run.steps.map((step) => {
    const attempts = step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
    const error = step.error ? ` — ${step.error}` : '';
    return `  ${STEP_MARK[step.status]} ${step.name.padEnd(9)} ${step.status.padEnd(10)} ${formatDuration(step.durationMs)}${attempts}${error}`;
  });
}

export function formatRunDetails(run: Run): string {
  const lines = [
    `run ${run.id} (${run.pipelineName}): ${run.status}`,
    `  created ${run.createdAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
    ...formatSteps(run),
  ];
  if (run.datasetDigest) lines.push(`  dataset ${run.datasetDigest}`);
  if (run.backend) lines.push(`  backend ${run.backend}, ${run.epochs.length} epochs`);
  if (run.metrics) lines.push(`  test accuracy ${run.metrics.testAccuracy.toFixed(4)} on ${run.metrics.testRows} rows, test loss ${run.metrics.testLoss.toFixed(4)}`);
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
    run.metrics ? run.metrics.testAccuracy.toFixed(3) : '—',
    run.modelVersion ? `${run.modelVersion.model}@${run.modelVersion.version}` : '—',
    run.createdAt,
  ]);
  return formatTable(['RUN', 'PIPELINE', 'STATUS', 'TEST ACC', 'VERSION', 'CREATED'], rows);
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
