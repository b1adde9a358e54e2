import { Module, type DynamicModule } from '@nestjs/common';
import type { DataPrepConfig } from '@slipway/config';
import { dataPrepQueue } from '@slipway/contracts';
import { ServiceModule } from '@slipway/service-kit';
import { DataPrepProcessor } from './data-prep.processor';

@Module({})
export class AppModule {
  static withConfig(config: DataPrepConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceModule.forService('data-prep', config, { queues: [dataPrepQueue], artifacts: 'rw' })],
      providers: [DataPrepProcessor],
    };
  }
}
