/**
 * Samples GET /v2/health/live at a fixed interval while the bench loads serving, from a process of its own
 * (autocannon's busy event loop would delay the timers and inflate the figures).
 * argv = url, intervalMs. Sends `{ ready: true }` once connected; on `{ durationMs }` it samples for that long,
 * then sends `{ latenciesMs, failures }` and exits.
 */
const [url, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
const REQUEST_TIMEOUT_MS = 5_000;

export interface ProbeReport {
  latenciesMs: number[];
  failures: string[];
}

async function sample(): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(url ?? '', { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.text();
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
  return performance.now() - startedAt;
}

async function probeFor(durationMs: number): Promise<ProbeReport> {
  const report: ProbeReport = { latenciesMs: [], failures: [] };
  const inFlight: Promise<void>[] = [];
  const fire = () =>
    inFlight.push(
      sample().then(
        (ms) => void report.latenciesMs.push(ms),
        (error: unknown) => void report.failures.push((error as Error).message),
      ),
    );
  // One request per tick whatever the previous one is doing: a slow answer must not thin out the samples.
  const ticks = Math.floor(durationMs / intervalMs);
  await new Promise<void>((resolve) => {
    let fired = 0;
    const timer = setInterval(() => {
      fire();
      if (++fired >= ticks) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
  });
  await Promise.all(inFlight);
  return report;
}

async function main(): Promise<void> {
  if (!url || !(intervalMs > 0)) throw new Error('usage: liveness-probe.child.ts <url> <intervalMs>');
  await sample(); // opens the keep-alive connection, so samples time requests rather than TCP set-up
  process.once('disconnect', () => process.exit(0));
  process.once('message', (message: { durationMs: number }) => {
    void probeFor(message.durationMs).then((report) => process.send?.(report, () => process.exit(0)));
  });
  process.send?.({ ready: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
