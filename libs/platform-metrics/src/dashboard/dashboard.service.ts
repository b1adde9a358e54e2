import { Inject, Injectable } from '@nestjs/common';
import { groupStatus, type DashboardSnapshot, type Run, type RunStep, type StepStatus } from '@slipway/contracts';
import { DriftAlerts, DriftTracker, LiveAccuracy, PlatformMetrics, RunTracker } from '@slipway/platform-metrics';
import type { RegistryClient } from '@slipway/registry-client';
import { REGISTRY_CLIENT } from '../monitoring.tokens';

const RUNS_SHOWN = 12;

type StepGroup = NonNullable<DashboardSnapshot['runs']>[number]['stepGroups'][number];

/** One snapshot of every figure the dashboard draws; finished runs are read from the registry once and kept. */
@Injectable()
export class DashboardService {
  private readonly finishedRuns = new Map<string, Run>();

  constructor(
    private readonly platform: PlatformMetrics,
    private readonly runTracker: RunTracker,
    private readonly drift: DriftTracker,
    private readonly live: LiveAccuracy,
    private readonly alerts: DriftAlerts,
    @Inject(REGISTRY_CLIENT) private readonly registry: RegistryClient,
  ) {}

  async snapshot(now = new Date()): Promise<DashboardSnapshot> {
    const inference = this.platform.versionStats();
    let runs: DashboardSnapshot['runs'] = null;
    let models: DashboardSnapshot['models'] = null;
    let registryError: string | null = null;
    try {
      [runs, models] = await Promise.all([this.latestRuns(), this.models()]);
    } catch (error) {
      registryError = (error as Error).message;
    }
    const modelNames = [...new Set([...(models ?? []).map((m) => m.name), ...inference.map((v) => v.model)])].sort();
    return {
      generatedAt: now.toISOString(),
      queues: this.platform.summary(now).queues,
      inference,
      runs,
      models,
      registryError,
      drift: modelNames.map((model) => this.drift.report(model)),
      accuracy: modelNames.map((model) => this.live.report(model)),
      alerts: this.alerts.list().slice(0, 20),
    };
  }

  private async latestRuns(): Promise<NonNullable<DashboardSnapshot['runs']>> {
    const summaries = await this.registry.listRuns({ limit: RUNS_SHOWN });
    const live = new Map(this.runTracker.snapshot().map((run) => [run.runId, run]));
    const runs = await Promise.all(summaries.map((summary) => this.finishedRuns.get(summary.id) ?? this.registry.getRun(summary.id)));
    const shown = new Set(runs.map((run) => run.id));
    for (const run of runs) if (run.status === 'succeeded' || run.status === 'failed') this.finishedRuns.set(run.id, run);
    for (const id of this.finishedRuns.keys()) if (!shown.has(id)) this.finishedRuns.delete(id);
    return runs.map((run) => ({
      id: run.id,
      pipelineName: run.pipelineName,
      status: run.status,
      createdAt: run.createdAt,
      steps: Object.fromEntries(run.steps.map((step) => [step.name, step.status])),
      stepGroups: stepGroupsOf(run.steps),
      epoch: live.get(run.id)?.latest?.epoch ?? run.epochs.at(-1)?.epoch ?? null,
    }));
  }

  private async models(): Promise<NonNullable<DashboardSnapshot['models']>> {
    return (await this.registry.listModels()).map((model) => ({
      name: model.name,
      aliases: model.aliases,
      versions: model.versions.map((v) => ({ version: v.version, createdAt: v.createdAt, testAccuracy: v.metrics.testAccuracy, aliases: v.aliases })),
    }));
  }
}

/** A run's steps by pipeline step, in the order the run lists them, each with its count of rows per status. */
function stepGroupsOf(steps: readonly RunStep[]): StepGroup[] {
  const groups = new Map<string, StepStatus[]>();
  for (const { step, status } of steps) {
    const statuses = groups.get(step) ?? [];
    statuses.push(status);
    groups.set(step, statuses);
  }
  return [...groups].map(([step, statuses]) => {
    const counts: Record<string, number> = {};
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
    return { step, status: groupStatus(statuses), rows: statuses.length, statuses: counts };
  });
}
