import { Module, type DynamicModule } from '@nestjs/common';
import type { TrainerConfig } from '@slipway/config';
import { trainingQueue } from '@slipway/contracts';
import { ServiceModule } from '@slipway/service-kit';
import { trainingProcessorWith } from './training.processor';

@Module({})
export class AppModule {
  static withConfig(config: TrainerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceModule.forService('trainer', config, { queues: [trainingQueue], artifacts: 'rw' })],
      providers: [trainingProcessorWith(config)],
    };
  }
}
