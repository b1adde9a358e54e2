import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { driftAlertSchema, pipelineSpecSchema, type Run, type SubmitRunRequest } from '@slipway/contracts';
import { Registry } from 'prom-client';
import type { DriftCrossing } from '../drift/drift-tracker';
import { DriftAlerts } from './drift-alerts';

const pipeline = pipelineSpecSchema.parse({
  name: 'iris-retrain',
  model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 4 }], epochs: 1 } },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
});

function crossing(overrides: Partial<DriftCrossing['policy']> = {}): DriftCrossing {
  return {
    model: 'iris',
    version: 3,
    at: new Date().toISOString(),
    policy: { psiThreshold: 0.2, minRows: 50, ...overrides },
    features: [{ feature: 'petal_length', kind: 'numeric', psi: 1.7, test: { method: 'ks', statistic: 0.6, pValue: 1e-9 }, rows: 200 }],
  };
}

const silentLogger = () => {
  const lines: object[] = [];
  const push = (line: object) => void lines.push(line);
  return { lines, logger: { log: push, warn: push, error: push } };
};

describe('DriftAlerts', () => {
  let server: Server;
  let url: string;
  const received: unknown[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          response.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(204).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('submits the retraining run, then POSTs the alert with the run id, retrying a failing receiver', async () => {
    failuresLeft = 2;
    const submitted: SubmitRunRequest[] = [];
    const registry = new Registry();
    const { logger, lines } = silentLogger();
    const alerts = new DriftAlerts(registry, {
      submitRun: async (request) => {
        submitted.push(request);
        return { id: 'run-42' } as Run;
      },
      logger,
      retry: { attempts: 4, wait: async () => undefined },
    });
    const alert = await alerts.raise(crossing({ webhook: url, retrain: { pipeline } }));

    expect(submitted).toEqual([{ pipeline }]);
    expect(alert.retrainRunId).toBe('run-42');
    expect(received).toHaveLength(1);
    expect(driftAlertSchema.parse(received[0])).toEqual(alert);
    expect(alerts.list()).toEqual([alert]);
    expect(lines.filter((line) => (line as { event?: string }).event === 'drift.webhook.retry')).toHaveLength(2);
    const text = await registry.metrics();
    expect(text).toContain('slipway_alert_webhook_deliveries_total{outcome="delivered"} 1');
    expect(text).toContain('slipway_retrain_runs_submitted_total{model="iris",outcome="submitted"} 1');
    expect(text).toContain('slipway_drift_alerts_total{model="iris",version="3"} 1');
  });

  it('gives up after the last try and still records the alert, without a run when the registry keeps failing', async () => {
    failuresLeft = 10;
    const registry = new Registry();
    const { logger } = silentLogger();
    const alerts = new DriftAlerts(registry, {
      submitRun: async () => {
        throw new Error('registry unreachable');
      },
      logger,
      retry: { attempts: 3, wait: async () => undefined },
    });
    const alert = await alerts.raise(crossing({ webhook: url, retrain: { pipeline } }));
    expect(alert.retrainRunId).toBeNull();
    expect(received).toHaveLength(0);
    expect(failuresLeft).toBe(7);
    const text = await registry.metrics();
    expect(text).toContain('slipway_alert_webhook_deliveries_total{outcome="failed"} 1');
    expect(text).toContain('slipway_retrain_runs_submitted_total{model="iris",outcome="failed"} 1');
    await alerts.close();
  });
});
