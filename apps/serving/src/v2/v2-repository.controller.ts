import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ModelReconciler, ModelRepository, ModelSync } from '@slipway/inference';
import { OpenRoute, RequiresScope } from '@slipway/service-kit';

interface RepositoryIndexEntry {
  name: string;
  version: string;
  state: 'READY' | 'UNAVAILABLE';
  reason: string;
}

/** Open Inference Protocol model repository extension. */
@Controller('v2/repository')
export class V2RepositoryController {
  constructor(
    private readonly repository: ModelRepository,
    private readonly reconciler: ModelReconciler,
    private readonly sync: ModelSync,
  ) {}

  /** Loaded versions (READY, with their aliases) and versions that failed to load (UNAVAILABLE, with the reason). */
  @Post('index')
  @OpenRoute('lists what is loaded and changes nothing; POST only because the protocol says so')
  @HttpCode(200)
  index(): RepositoryIndexEntry[] {
    const ready = this.repository.list().map((info) => ({ name: info.name, version: String(info.version), state: 'READY' as const, reason: info.aliases.length > 0 ? `aliases: ${info.aliases.join(', ')}` : '' }));
    const failed = this.reconciler.failures().map((failure) => ({ name: failure.model, version: String(failure.version), state: 'UNAVAILABLE' as const, reason: failure.error }));
    return [...ready, ...failed];
  }

  /** Loads the model's versions its served aliases point at, now (and serves it again after an unload). */
  @Post('models/:model/load')
  @RequiresScope('serving:admin', 'load models')
  @HttpCode(200)
  async load(@Param('model') model: string): Promise<Record<string, never>> {
    await this.sync.load(model);
    this.repository.resolve(model);
    return {};
  }

  /** Stops serving the model on this replica (in-flight requests finish first) until it is loaded again. */
  @Post('models/:model/unload')
  @RequiresScope('serving:admin', 'unload models')
  @HttpCode(200)
  async unload(@Param('model') model: string): Promise<Record<string, never>> {
    this.repository.resolve(model);
    await this.sync.unload(model);
    return {};
  }
}
