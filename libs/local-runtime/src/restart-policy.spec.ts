import { RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  it('restarts after the initial delay when the crash follows a long run', () => {
    const policy = new RestartPolicy({ initialDelayMs: 500, quickCrashMs: 30_000 });
    expect(policy.afterCrash(120_000)).toEqual({ restart: true, delayMs: 500, quickCrashes: 0 });
    expect(policy.afterCrash(120_000)).toEqual({ restart: true, delayMs: 500, quickCrashes: 0 });
  });

  it('doubles the delay with each quick crash in a row, up to the cap', () => {
    const policy = new RestartPolicy({ initialDelayMs: 500, maxDelayMs: 3_000, quickCrashMs: 30_000, maxQuickCrashes: 10 });
    expect([1, 2, 3, 4, 5].map(() => policy.afterCrash(1_000))).toEqual([
      { restart: true, delayMs: 500, quickCrashes: 1 },
      { restart: true, delayMs: 1_000, quickCrashes: 2 },
      { restart: true, delayMs: 2_000, quickCrashes: 3 },
      { restart: true, delayMs: 3_000, quickCrashes: 4 },
      { restart: true, delayMs: 3_000, quickCrashes: 5 },
    ]);
  });

  it('gives up after the allowed number of quick crashes in a row', () => {
    const policy = new RestartPolicy({ quickCrashMs: 30_000, maxQuickCrashes: 3 });
    expect(policy.afterCrash(10).restart).toBe(true);
    expect(policy.afterCrash(10).restart).toBe(true);
    expect(policy.afterCrash(10)).toEqual({ restart: false, quickCrashes: 3 });
  });

  it('forgets earlier quick crashes once the process ran long enough', () => {
    const policy = new RestartPolicy({ initialDelayMs: 500, quickCrashMs: 30_000, maxQuickCrashes: 3 });
    policy.afterCrash(10);
    policy.afterCrash(10);
    expect(policy.afterCrash(60_000)).toEqual({ restart: true, delayMs: 500, quickCrashes: 0 });
    expect(policy.afterCrash(10)).toEqual({ restart: true, delayMs: 500, quickCrashes: 1 });
  });
});
