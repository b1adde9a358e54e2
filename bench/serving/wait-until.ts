export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Asks again every 250 ms until the probe returns a value or the deadline passes: a run finishing or a model
 * loading in another process has no event this bench could wait on over plain HTTP.
 */
export async function waitUntil<T>(description: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
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
