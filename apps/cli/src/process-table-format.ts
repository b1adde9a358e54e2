import type { ProcessReport } from '@slipway/local-runtime';

/** One line per process: name, pid, state, restarts, port, uptime, and ready (or why not) last, as it is the longest. */
export function formatProcessTable(processes: readonly ProcessReport[], now: number): string {
  const rows = [
    ['PROCESS', 'PID', 'STATE', 'RESTARTS', 'PORT', 'UPTIME', 'READY'],
    ...processes.map((p) => [
      p.name,
      p.pid === null ? '—' : String(p.pid),
      p.state,
      String(p.restarts),
      String(p.port),
      p.startedAt === null || p.pid === null ? '—' : formatUptime(now - Date.parse(p.startedAt)),
      p.ready ? 'yes' : `no: ${p.notReadyBecause}`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n');
}

export function formatUptime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
