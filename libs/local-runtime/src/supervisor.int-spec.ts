import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { ServiceProcess } from './service-process';
import { Supervisor } from './supervisor';

describe('Supervisor', () => {
  let stateDir: string;
  let supervisor: Supervisor | undefined;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-supervisor-'));
  });

  afterEach(async () => {
    await supervisor?.stop(5_000);
    supervisor = undefined;
    await rm(stateDir, { recursive: true, force: true });
  });

  it('reports a process killed by SIGKILL at once, restarts it, and stops it with SIGTERM', async () => {
    const service = new ServiceProcess({
      name: 'fixture-service',
      entry: join(__dirname, 'fixtures', 'ready-service.js'),
      port: await findFreePort(),
      env: {},
      logFile: join(stateDir, 'logs', 'fixture-service.log'),
      cwd: stateDir,
    });
    const lines: string[] = [];
    let readyAgain: () => void = () => undefined;
    const restarted = new Promise<void>((resolve) => (readyAgain = resolve));
    supervisor = new Supervisor([{ process: service, url: service.baseUrl }], {
      report: (line) => {
        lines.push(line);
        if (line.includes('ready again')) readyAgain();
      },
      restartPolicy: { initialDelayMs: 100 },
    });
    await supervisor.start();
    const firstPid = service.pid;
    await service.kill();
    await restarted;

    expect(lines[0]).toMatch(new RegExp(`^fixture-service \\(pid ${firstPid}\\) was killed by SIGKILL after [\\d.]+ s; see .*fixture-service\\.log$`));
    expect(lines[1]).toBe('restarting fixture-service in 0.1 s (restart 1)');
    expect(service.pid).not.toBe(firstPid);
    expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
    expect(supervisor.describe()).toEqual([expect.objectContaining({ name: 'fixture-service', state: 'ready', restarts: 1, pid: service.pid, lastExit: 'was killed by SIGKILL' })]);

    const { killed } = await supervisor.stop(5_000);
    expect(killed).toEqual([]);
    expect(supervisor.describe()[0]).toMatchObject({ state: 'stopped', pid: null });
    await expect(fetch(`${service.baseUrl}/readyz`)).rejects.toThrow();
  });
});
