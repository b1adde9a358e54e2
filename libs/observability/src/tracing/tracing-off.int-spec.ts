import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/**
 * In a fresh Node process (Jest keeps its own module registry, so only a real one tells what `require` loaded):
 * start a service without tracing and list the OpenTelemetry SDK modules loaded, then start tracing and list again.
 */
const script = `
const { bootstrapService, ObservabilityModule, startTracing, stopTracing } = require('./libs/observability/src/index.ts');
const sdkModules = () => Object.keys(require.cache).filter((path) => /@opentelemetry[\\\\/](sdk-trace|exporter-|resources|semantic-conventions)/.test(path)).length;
(async () => {
  const app = await bootstrapService({ module: class ProbeModule {}, imports: [ObservabilityModule.forService('probe')] }, { service: 'probe', port: 0, host: '127.0.0.1', logLevel: 'error', httpErrors: [] });
  await fetch((await app.getUrl()) + '/healthz');
  await app.close();
  const off = sdkModules();
  const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace-node');
  await startTracing({ service: 'probe', exporter: new InMemorySpanExporter() });
  const on = sdkModules();
  await stopTracing();
  process.stdout.write(JSON.stringify({ off, on }));
})();
`;

describe('a service without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('serves requests without loading the OpenTelemetry SDK or exporter', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: 'libs/observability/tsconfig.json' },
    });
    const loaded = JSON.parse(stdout) as { off: number; on: number };
    expect(loaded.off).toBe(0);
    // The same probe sees the SDK once tracing starts: the check can tell.
    expect(loaded.on).toBeGreaterThan(0);
  });
});
