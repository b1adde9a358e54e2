import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { ApiTokenService } from '@slipway/registry';

/** Says at start-up, once, when writes need tokens but no token could ever issue one. */
@Injectable()
export class AdminTokenCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminTokenCheck.name);

  constructor(
    private readonly tokens: ApiTokenService,
    @Inject(SERVICE_CONFIG) private readonly config: ModelRegistryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SLIPWAY_AUTH_WRITES || (await this.tokens.hasAdmin())) return;
    this.logger.warn({
      event: 'auth.no-admin-token',
      message: 'SLIPWAY_AUTH_WRITES is on but no token holds the scope admin, so every write will be refused: declare one in SLIPWAY_API_TOKENS, or set SLIPWAY_AUTH_WRITES=false for local development',
    });
  }
}
