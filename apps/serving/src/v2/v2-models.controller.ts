import { Controller, Get, Param } from '@nestjs/common';
import type { V2ModelMetadata } from '@slipway/contracts';
import { buildTritonModelConfig, buildV2ModelMetadata, InferenceStatistics, ModelRepository, type TritonModelConfig, type TritonModelStats } from '@slipway/inference';


/** Model metadata, readiness and statistics; a model without a version in the path is its `production` alias. */
@Controller('v2/models')
export class V2ModelsController {
  constructor(
    private readonly repository: ModelRepository,
    private readonly statistics: InferenceStatistics,
  ) {}

  @Get('stats')
  allStatistics(): { model_stats: TritonModelStats[] } {
    return { model_stats: this.repository.list().flatMap((info) => this.statistics.forModel(info.name, [info.version])) };
  }

  @Get(':model')
  metadata(@Param('model') model: string): V2ModelMetadata {
    return this.describe(model, undefined);
  }

  @Get(':model/versions/:version')
  versionMetadata(@Param('model') model: string, @Param('version') version: string): V2ModelMetadata {
    return this.describe(model, version);
  }

  @Get(':model/ready')
  ready(@Param('model') model: string): { name: string; ready: true } {
    return { name: this.repository.resolve(model).name, ready: true };
  }

  @Get(':model/versions/:version/ready')
  versionReady(@Param('model') model: string, @Param('version') version: string): { name: string; ready: true } {
    return { name: this.repository.resolve(model, version).name, ready: true };
  }

  /** Triton's model configuration extension, what `tritonclient`'s `get_model_config` reads. */
  @Get(':model/config')
  config(@Param('model') model: string): TritonModelConfig {
    return buildTritonModelConfig(this.repository.resolve(model));
  }

  @Get(':model/versions/:version/config')
  versionConfig(@Param('model') model: string, @Param('version') version: string): TritonModelConfig {
    return buildTritonModelConfig(this.repository.resolve(model, version));
  }

  @Get(':model/stats')
  statisticsOf(@Param('model') model: string): { model_stats: TritonModelStats[] } {
    this.repository.resolve(model);
    return { model_stats: this.statistics.forModel(model, this.loadedVersions(model)) };
  }

  @Get(':model/versions/:version/stats')
  versionStatistics(@Param('model') model: string, @Param('version') version: string): { model_stats: TritonModelStats[] } {
    const loaded = this.repository.resolve(model, version);
    return { model_stats: this.statistics.forModel(model, [loaded.version]) };
  }

  private describe(model: string, version: string | undefined): V2ModelMetadata {
    const loaded = this.repository.resolve(model, version);
    return buildV2ModelMetadata(loaded, this.loadedVersions(model));
  }

  private loadedVersions(model: string): number[] {
    return this.repository.list().filter((info) => info.name === model).map((info) => info.version);
  }
}
