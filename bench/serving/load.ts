import autocannon from 'autocannon';
import { summarizeLatencies, type LatencySummary } from './latency-summary';
import { processCpuMs } from './process-cpu';

export interface LoadTarget {
  configuration: string;
  url: string;
  body: string;
  /** The server process, whose CPU time per answer is measured alongside the latencies (Linux only). */
  serverPid?: number;
}

export interface Measurement {
  configuration: string;
  connections: number;
  durationSec: number;
  requests: number;
  requestsPerSec: number;
  latency: LatencySummary;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  statusCodes: Record<string, number>;
  /** CPU time (user + system) the server process spent per answer, in microseconds; absent without a pid or procfs. */
  serverCpuUsPerRequest?: number;
}

export class LoadFailedError extends Error {
  override readonly name = 'LoadFailedError';
}

const REQUEST_TIMEOUT_SEC = 10;

/**
 * POSTs the body over `connections` keep-alive connections (one request in flight on each) for `durationSec`.
 * Latencies are kept exactly, from autocannon's per-response event. Any error, timeout, reset or non-2xx answer
 * fails the measurement: a fast failure must never pass for throughput.
 */
export async function measureLoad(target: LoadTarget, connections: number, durationSec: number): Promise<Measurement> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
    connections,
    duration: durationSec,
    pipelining: 1,
    timeout: REQUEST_TIMEOUT_SEC,
  });
  instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => void latencies.push(responseTimeMs));
  const cpuBefore = processCpuMs(target.serverPid);
  const result = await instance;
  const cpuAfter = processCpuMs(target.serverPid);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  const measurement: Measurement = {
    configuration: target.configuration,
    connections,
    durationSec: result.duration,
    requests: result.requests.total,
    requestsPerSec: Math.round((result.requests.total / result.duration) * 10) / 10,
    latency: summarizeLatencies(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    resets: result.resets,
    statusCodes,
  };
  if (cpuBefore !== undefined && cpuAfter !== undefined && measurement.requests > 0) {
    measurement.serverCpuUsPerRequest = Math.round(((cpuAfter - cpuBefore) * 1000 * 10) / measurement.requests) / 10;
  }
  if (measurement.errors + measurement.timeouts + measurement.non2xx + measurement.resets > 0 || measurement.requests === 0) {
    throw new LoadFailedError(
      `${target.configuration} at ${connections} connections (${target.url}): ${measurement.requests} answers, ` +
        `${measurement.errors} errors, ${measurement.timeouts} timeouts, ${measurement.resets} resets, ` +
        `${measurement.non2xx} non-2xx; status codes ${JSON.stringify(statusCodes)}`,
    );
  }
  return measurement;
}
