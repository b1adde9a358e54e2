import { HealthService } from './health.service';

describe('HealthService', () => {
  let health: HealthService;

  beforeEach(() => {
    health = new HealthService();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('is ready with no checks registered', async () => {
    await expect(health.readiness()).resolves.toEqual({ ready: true, checks: {} });
  });

  it('is ready when every check passes, and lists each one', async () => {
    health.register('redis', async () => undefined);
    health.register('artifacts', async () => undefined);
    const report = await health.readiness();
    expect(report.ready).toBe(true);
    expect(Object.keys(report.checks).sort()).toEqual(['artifacts', 'redis']);
  });

  it('is not ready when a check throws, naming the check and its message', async () => {
    health.register('redis', async () => undefined);
    health.register('database', async () => {
      throw new Error('SQLITE_CANTOPEN: unable to open database file');
    });
    const report = await health.readiness();
    expect(report.ready).toBe(false);
    expect(report.checks['database']).toContain('SQLITE_CANTOPEN: unable to open database file');
    expect(report.checks['redis']).not.toEqual(report.checks['database']);
  });

  it('reports a check that throws before returning a promise', async () => {
    health.register('broken', () => {
      throw new Error('not configured');
    });
    const report = await health.readiness();
    expect(report.ready).toBe(false);
    expect(report.checks['broken']).toContain('not configured');
  });

  it('reports a non-Error rejection as text', async () => {
    health.register('odd', () => Promise.reject('connection reset'));
    const report = await health.readiness();
    expect(report.ready).toBe(false);
    expect(report.checks['odd']).toContain('connection reset');
  });

  it('gives up on a check that never answers once its timeout passes', async () => {
    jest.useFakeTimers();
    health.register('fast', async () => undefined);
    health.register('hung', () => new Promise<void>(() => undefined));
    let settled = false;
    const pending = health.readiness().finally(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await jest.runOnlyPendingTimersAsync();
    const report = await pending;
    expect(report.ready).toBe(false);
    expect(report.checks['hung']).toMatch(/\d+ ms/);
    expect(report.checks['fast']).not.toEqual(report.checks['hung']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('clears its timeout when a check answers in time', async () => {
    jest.useFakeTimers();
    health.register('fast', async () => undefined);
    await health.readiness();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is not ready once the application is shutting down, even with healthy checks', async () => {
    health.register('redis', async () => undefined);
    expect((await health.readiness()).ready).toBe(true);
    health.beforeApplicationShutdown();
    const report = await health.readiness();
    expect(report.ready).toBe(false);
    expect(Object.keys(report.checks)).toContain('shutdown');
  });

  it('replaces a check registered again under the same name', async () => {
    health.register('redis', async () => {
      throw new Error('down');
    });
    health.register('redis', async () => undefined);
    expect((await health.readiness()).ready).toBe(true);
  });
});
