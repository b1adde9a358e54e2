export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Waits for a condition that only another process can make true (a run finishing, a model loading): over plain
 * HTTP there is no event to wait on, so this asks again every 250 ms until the probe returns a value or the
 * deadline passes. Tests of in-process work wait on events instead.
 */
export async function waitFor<T>(description: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
}
