import type { MlserverBenchResult } from './mlserver-result';
import { formatMs as ms, formatPerSec as perSec, targetLine } from './report-format';

const settingsOf = (settings: Record<string, unknown>) =>
  Object.entries(settings)
    .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');

/** bench/results/mlserver.md: the comparison, every round, and the goal lines. */
export function renderMlserverMarkdown(result: MlserverBenchResult): string {
  const { machine, code, load } = result;
  const lines = [
    result.smokeRun ? '# Slipway against MLServer — SMOKE RUN (shortened durations; these figures are not results)' : '# Slipway against MLServer',
    '',
    `Run ${result.startedAt} on commit \`${code.commit.slice(0, 12)}\`${code.uncommittedChanges ? ' with uncommitted changes' : ''}: ` +
      `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ` +
      `1-minute load average ${machine.loadAverageAtStart} before the bench started.`,
    `${result.description}. \`${result.request.method} ${result.request.path}\` with one row (one FP32 input \`X\` of shape [1, 4]), the same bytes to both; ` +
      `${load.tool}, ${load.pipelining} request in flight per connection; per connection count a ${load.warmupSec} s warm-up of each server, ` +
      `then ${load.rounds} rounds of ${load.durationSec} s, ${load.order}.`,
    `Slipway: ${settingsOf(result.servers.slipway)}. MLServer: ${settingsOf(result.servers.mlserver)}.`,
    `Both servers gave the same labels for ${result.agreement.rows} held-out rows, probabilities within ${result.agreement.largestProbabilityDifference.toExponential(1)}.`,
    '',
    ...result.caveats.map((caveat) => `> ${caveat}`),
    '',
    '## Medians of the rounds',
    '',
    '| Connections | Slipway req/s | MLServer req/s | Slipway / MLServer | Slipway p50 (ms) | MLServer p50 (ms) | Slipway p99 (ms) | MLServer p99 (ms) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.comparisons.map(
      ({ connections, slipway, mlserver, throughputRatio }) =>
        `| ${connections} | ${perSec(slipway.requestsPerSec)} | ${perSec(mlserver.requestsPerSec)} | ${throughputRatio.toFixed(2)}× | ${ms(slipway.p50Ms)} | ${ms(mlserver.p50Ms)} | ${ms(slipway.p99Ms)} | ${ms(mlserver.p99Ms)} |`,
    ),
    '',
    '## Every round',
    '',
    '| Connections | Round | Server | req/s | p50 (ms) | p99 (ms) | answers |',
    '|---:|---:|---|---:|---:|---:|---:|',
    ...result.measurements.map((m) => `| ${m.connections} | ${m.round} | ${m.configuration} | ${perSec(m.requestsPerSec)} | ${ms(m.latency.p50Ms)} | ${ms(m.latency.p99Ms)} | ${m.requests} |`),
    '',
    'Every cell: 0 errors, 0 timeouts, 0 non-2xx answers (the bench fails otherwise).',
    '',
    '## Goal of the issue',
    '',
    ...result.targets.map(targetLine),
    '',
  ];
  return lines.join('\n');
}
