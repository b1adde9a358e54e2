import 'reflect-metadata';
import { servingConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';

// Batches of many rows arrive as one JSON body.
runService(servingConfig, (config) => AppModule.withConfig(config), { bodyLimit: 16 * 1024 * 1024 });
