import { retryWithBackoff } from './retry-with-backoff';

describe('retryWithBackoff', () => {
  it('retries with doubling waits, capped, until the task succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async (attempt) => {
        calls++;
        if (attempt < 4) throw new Error(`try ${attempt} failed`);
        return 'delivered';
      },
      { attempts: 5, baseDelayMs: 100, maxDelayMs: 300, wait: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('delivered');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 300]);
  });

  it('gives up after the last try with that try\'s error', async () => {
    const retried: number[] = [];
    await expect(
      retryWithBackoff(
        async (attempt) => {
          throw new Error(`try ${attempt} failed`);
        },
        { attempts: 3, wait: async () => undefined, onRetry: (_, attempt) => retried.push(attempt) },
      ),
    ).rejects.toThrow('try 3 failed');
    expect(retried).toEqual([1, 2]);
  });

  it('stops retrying once aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          controller.abort();
          throw new Error('receiver down');
        },
        { attempts: 5, signal: controller.signal, wait: async () => undefined },
      ),
    ).rejects.toThrow('receiver down');
    expect(calls).toBe(1);
  });
});
