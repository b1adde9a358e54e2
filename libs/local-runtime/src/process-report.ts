import type { LocalPlatformState, SupervisedProcessInfo } from '@slipway/contracts';
import { isRedisAnswering } from './redis-server';

/** A supervised process as the state file has it, and whether it is ready now. */
export type ProcessReport = SupervisedProcessInfo & { ready: boolean; notReadyBecause: string | null };

/** Asks each process now: a service its /readyz (the first failing check is the reason), Redis a PING. */
export async function describeProcesses(state: LocalPlatformState, timeoutMs = 1_000): Promise<ProcessReport[]> {
  return Promise.all(state.processes.map(async (process) => ({ ...process, ...(await readinessOf(process.url, timeoutMs)) })));
}

async function readinessOf(url: string, timeoutMs: number): Promise<{ ready: boolean; notReadyBecause: string | null }> {
  if (url.startsWith('redis://')) {
    return (await isRedisAnswering(url, timeoutMs)) ? { ready: true, notReadyBecause: null } : { ready: false, notReadyBecause: 'does not answer PING' };
  }
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return { ready: true, notReadyBecause: null };
    const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, string> };
    const failing = Object.entries(body.checks ?? {}).find(([, result]) => result !== 'ok');
    return { ready: false, notReadyBecause: failing ? `${failing[0]}: ${failing[1]}` : `/readyz answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { ready: false, notReadyBecause: `no answer (${cause})` };
  }
}
