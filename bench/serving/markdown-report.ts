import type { BenchResult } from './bench-result';
import { formatMs as ms, formatPerSec as perSec, targetLine } from './report-format';

/** bench/results/serving.md: the table and the targets, for the closing note of issue 3. */
export function renderMarkdown(result: BenchResult): string {
  const label = new Map(result.configurations.map((configuration) => [configuration.name, configuration.description]));
  const lines = [
    '# Serving benchmark',
    '',
    `Run ${result.startedAt} on commit \`${result.code.commit.slice(0, 12)}\`${result.code.uncommittedChanges ? ' with uncommitted changes' : ''} ` +
      `(serving build \`${result.code.servingBuild.slice(0, 19)}\`): ` +
      `${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGiB} GiB, ${result.machine.os}, Node ${result.machine.node}, ` +
      `1-minute load average ${result.machine.loadAverageAtStart} before the bench started.`,
    `Model \`${result.model.name}\` v${result.model.version} (${result.model.backend ?? 'unknown'} backend), ` +
      `\`${result.request.method} ${result.request.path}\` with one row (four FP32 inputs of shape [1]); ` +
      `${result.load.tool}, ${result.load.warmupSec} s warm-up then ${result.load.durationSec} s per cell, ${result.load.pipelining} request in flight per connection.`,
    '',
    ...result.caveats.map((caveat) => `> ${caveat}`),
    '',
    '| Configuration | Connections | req/s | p50 (ms) | p99 (ms) | server CPU (µs/request) |',
    '|---|---:|---:|---:|---:|---:|',
    ...result.measurements.map(
      (m) =>
        `| ${label.get(m.configuration) ?? m.configuration} | ${m.connections} | ${perSec(m.requestsPerSec)} | ${ms(m.latency.p50Ms)} | ${ms(m.latency.p99Ms)} | ${m.serverCpuUsPerRequest?.toFixed(1) ?? 'n/a'} |`,
    ),
    '',
    'Every cell: 0 errors, 0 timeouts, 0 non-2xx answers (the bench fails otherwise). Server CPU is the user + system time of the server process during the cell divided by its answers: it moves far less with other load on the machine than latency does.',
    '',
    '## `GET /v2/health/live` under load',
    '',
    '| Configuration | Connections | Samples | Every | p99 (ms) | max (ms) | Failures |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...result.liveness.map(
      (s) => `| ${label.get(s.configuration) ?? s.configuration} | ${s.connections} | ${s.latency.samples} | ${s.intervalMs} ms | ${ms(s.latency.p99Ms)} | ${ms(s.latency.maxMs)} | ${s.failures.length} |`,
    ),
    '',
    '## Targets of issue 3',
    '',
    ...result.targets.map(targetLine),
    '',
  ];
  return lines.join('\n');
}
