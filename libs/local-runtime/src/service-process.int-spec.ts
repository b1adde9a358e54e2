import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { ServiceProcess, ServiceStartError } from './service-process';

const fixture = (name: string): string => join(__dirname, 'fixtures', name);

describe('ServiceProcess', () => {
  let stateDir: string;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-service-'));
  });

  afterEach(async () => {
    await service?.stop(5_000);
    service = undefined;
    await rm(stateDir, { recursive: true, force: true });
  });

  async function startFixture(entry: string): Promise<ServiceProcess> {
    service = new ServiceProcess({
      name: 'fixture-service',
      entry: fixture(entry),
      port: await findFreePort(),
      env: {},
      logFile: join(stateDir, 'logs', 'fixture-service.log'),
      cwd: stateDir,
    });
    await service.start();
    return service;
  }

  it('becomes ready once the process answers /readyz on its PORT, and stop() ends it', async () => {
    const running = await startFixture('ready-service.js');
    expect(running.pid).toEqual(expect.any(Number));
    await running.waitUntilReady(10_000);
    expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(200);
    await running.stop(5_000);
    await expect(fetch(`${running.baseUrl}/readyz`)).rejects.toThrow();
  });

  it('rejects waitUntilReady, naming the exit code and log file, when the process exits during start-up', async () => {
    const failing = await startFixture('exits-at-start.js');
    const attempt = failing.waitUntilReady(10_000);
    await expect(attempt).rejects.toThrow(ServiceStartError);
    await expect(attempt).rejects.toThrow(failing.spec.logFile);
    await expect(attempt).rejects.toThrow(/code 3\b/);
  });

  it('rejects waitUntilReady at once, naming the signal, when the process is killed during start-up', async () => {
    const killed = await startFixture('killed-at-start.js');
    // Were the crash missed, this would reject only after the time-out, with a message naming no signal.
    const attempt = killed.waitUntilReady(5_000);
    await expect(attempt).rejects.toThrow(ServiceStartError);
    await expect(attempt).rejects.toThrow(/SIGKILL/);
    await expect(attempt).rejects.toThrow(killed.spec.logFile);
  });
});
