import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { v2RepositoryLoadRequestSchema, v2RepositoryUnloadRequestSchema } from '@slipway/contracts';
import { ModelReconciler, ModelRepository, ModelSync } from '@slipway/inference';
import { OpenRoute, RequiresScope } from '@slipway/service-kit';
import type { FastifyRequest } from 'fastify';
import { repositoryRequestBody } from '../http/repository-request';

interface RepositoryIndexEntry {
  name: string;
  version: string;
  state: 'READY' | 'UNAVAILABLE';
  reason: string;
}

/**
 * Open Inference Protocol model repository extension. Load and unload change what this replica serves: they live in
 * this controller of their own so that one guard can protect them (and only them).
 */
@Controller('v2/repository')
export class V2RepositoryController {
  constructor(
    private readonly repository: ModelRepository,
    private readonly reconciler: ModelReconciler,
    private readonly sync: ModelSync,
  ) {}

  /**
   * Loaded versions (READY, with their aliases), versions that failed to load and models unloaded with
   * keep_unloaded (UNAVAILABLE, with the reason).
   */
  @Post('index')
  @OpenRoute('lists what is loaded and changes nothing; POST only because the protocol says so')
  @HttpCode(200)
  index(): RepositoryIndexEntry[] {
    const ready = this.repository.list().map((info) => ({ name: info.name, version: String(info.version), state: 'READY' as const, reason: info.aliases.length > 0 ? `aliases: ${info.aliases.join(', ')}` : '' }));
    const failed = this.reconciler.failures().map((failure) => ({ name: failure.model, version: String(failure.version), state: 'UNAVAILABLE' as const, reason: failure.error }));
    const kept = this.sync.keptUnloaded().map((name) => ({ name, version: '', state: 'UNAVAILABLE' as const, reason: 'unloaded by request (keep_unloaded) until loaded again' }));
    return [...ready, ...failed, ...kept];
  }

  /** Loads the model's versions its served aliases point at, now (and serves it again after an unload). */
  @Post('models/:model/load')
  @RequiresScope('serving:admin', 'load models')
  @HttpCode(200)
  async load(@Param('model') model: string, @Req() request: FastifyRequest): Promise<Record<string, never>> {
    repositoryRequestBody(request, v2RepositoryLoadRequestSchema);
    await this.sync.load(model);
    this.repository.resolve(model);
    return {};
  }

  /**
   * Stops serving the model on this replica (in-flight requests finish first). The registry's aliases still want it:
   * the reconcile scheduled at once loads it again, and until then the replica is not ready; with
   * `parameters.keep_unloaded` it stays unloaded, and out of readiness, until a load request.
   */
  @Post('models/:model/unload')
  @RequiresScope('serving:admin', 'unload models')
  @HttpCode(200)
  async unload(@Param('model') model: string, @Req() request: FastifyRequest): Promise<Record<string, never>> {
    const { parameters } = repositoryRequestBody(request, v2RepositoryUnloadRequestSchema);
    const served = this.repository.list().some((info) => info.name === model) || this.repository.waitingModels().includes(model);
    // Neither loaded nor wanted here: answered like any unknown model (404).
    if (!served) this.repository.resolve(model);
    await this.sync.unload(model, { keep: parameters?.keep_unloaded === true });
    return {};
  }
}
