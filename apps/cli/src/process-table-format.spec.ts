import type { ProcessReport } from '@slipway/local-runtime';
import { formatProcessTable, formatUptime } from './process-table-format';

const base: ProcessReport = {
  name: 'trainer',
  pid: 4242,
  state: 'ready',
  restarts: 1,
  port: 3003,
  url: 'http://127.0.0.1:3003',
  startedAt: '2026-01-01T00:00:00.000Z',
  lastExit: 'was killed by SIGKILL',
  logFile: '.slipway/logs/trainer.log',
  ready: true,
  notReadyBecause: null,
};

describe('formatProcessTable', () => {
  it('shows pid, state, restarts, port, uptime and readiness, with the reason when not ready', () => {
    const now = Date.parse('2026-01-01T00:02:05.000Z');
    const table = formatProcessTable([base, { ...base, name: 'serving', pid: null, state: 'restarting', restarts: 2, port: 3080, ready: false, notReadyBecause: 'no answer' }], now);
    const [header, trainer, serving] = table.split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['PROCESS', 'PID', 'STATE', 'RESTARTS', 'PORT', 'UPTIME', 'READY']);
    expect(trainer.split(/\s{2,}/)).toEqual(['trainer', '4242', 'ready', '1', '3003', '2 min 5 s', 'yes']);
    expect(serving.split(/\s{2,}/)).toEqual(['serving', '—', 'restarting', '2', '3080', '—', 'no: no answer']);
  });
});

describe('formatUptime', () => {
  it.each([
    [9_400, '9 s'],
    [61_000, '1 min 1 s'],
    [3_726_000, '1 h 2 min'],
  ])('%d ms is %s', (ms, text) => expect(formatUptime(ms)).toBe(text));
});
