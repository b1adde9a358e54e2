import type { LocalPlatform } from '@slipway/local-runtime';
import { formatSplitMetrics } from '../metrics-format';
import { formatDuration, formatSteps } from '../run-format';
import type { DemoReport } from './run-demo';

export function printDemoReport(report: DemoReport, platform: LocalPlatform): void {
  const { run, prediction } = report;
  const labels = (prediction.outputs.find((output) => output.name === 'label')?.data ?? []) as string[];
  const serving = platform.url('serving');
  const lines = [
    '',
    '━━━ Slipway demo ━━━',
    `run            ${run.id} (${run.status})`,
    ...formatSteps(run),
    `backend        ${run.backend ?? '—'}, ${run.epochs.length} epochs`,
    `test metrics   ${run.metrics ? formatSplitMetrics(run.metrics.test) : '—'}`,
    `model          ${run.modelVersion?.model} v${run.modelVersion?.version} → alias ${run.promotedTo}`,
    `prediction     ${labels.join(', ')} (expected ${report.expectedLabels.join(', ')})`,
    `first prediction ${formatDuration(report.timeToFirstPredictionMs)} after start`,
    '',
    'try it:',
    `  curl -s -X POST ${serving}/v2/models/${run.modelVersion?.model}/infer -H 'content-type: application/json' -d '${JSON.stringify(report.inferBody)}'`,
    '',
    'URLs:',
    `  registry API   ${platform.url('model-registry')}/api/runs`,
    `  serving (V2)   ${serving}/v2/models/${run.modelVersion?.model}`,
    `  monitoring     ${platform.url('monitoring')}/api/summary   ${platform.url('monitoring')}/metrics`,
    `  data-prep      ${platform.url('data-prep')}/readyz   trainer ${platform.url('trainer')}/readyz`,
  ];
  console.log(lines.join('\n'));
}
