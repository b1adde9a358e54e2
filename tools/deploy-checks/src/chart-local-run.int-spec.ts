import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { join } from 'node:path';
import { startRedisServer, type RunningRedis } from '@slipway/local-runtime';
import { Redis } from 'ioredis';
import { secretValue } from './support/chart-env';
import { helmTemplate } from './support/helm';
import { LocalPod, planLocalPods } from './support/local-pod';
import { ofKind, workloadsOf, type K8sObject } from './support/manifests';
import { SERVICES } from './support/service-identity';
import { valueSet } from './support/value-sets';
import { WORKSPACE_ROOT } from './support/workspace';

/** The SLIPWAY_E2E_* variable that names each service's base URL (apps/platform-e2e). */
const E2E_URL_VARIABLES: Record<string, string> = {
  'model-registry': 'SLIPWAY_E2E_REGISTRY_URL',
  'data-prep': 'SLIPWAY_E2E_DATA_PREP_URL',
  trainer: 'SLIPWAY_E2E_TRAINER_URL',
  monitoring: 'SLIPWAY_E2E_MONITORING_URL',
  serving: 'SLIPWAY_E2E_SERVING_URL',
};

function assertPortFree(port: number, owner: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`port ${port}, which the chart gives ${owner}, is taken on this machine; stop what listens there`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function runToEnd(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Colour codes (FORCE_COLOR under Nx) would split the summary line.
    child.on('close', (code) => resolve({ code, output: stripVTControlCharacters(output) }));
  });
}

/**
 * The chart, run without a cluster: every service Deployment of the kind values becomes a local process started
 * with exactly the command, environment and port its pod template declares (image paths mapped to the workspace as
 * the Dockerfile lays them out, volumes to directories, in-cluster Service names to loopback, the chart's Redis to
 * a local redis-server). Then the probes the chart declares, the golden-path e2e suite and the helm test pod.
 */
describe('the chart, run as local processes', () => {
  let objects: K8sObject[];
  let stateDir: string;
  let redis: RunningRedis;
  let redisPassword: string;
  let pods: LocalPod[] = [];

  beforeAll(async () => {
    objects = await helmTemplate(valueSet('kind'));
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-chart-run-'));
    redis = await startRedisServer(join(stateDir, 'redis'));
    // The stand-in requires the password of the chart's Redis Secret, as the chart's Redis does.
    const [authSecret] = ofKind(objects, 'Secret').filter((secret) => secret.metadata.labels?.['app.kubernetes.io/component'] === 'redis');
    redisPassword = secretValue(objects, { name: authSecret?.metadata.name ?? '', key: 'redis-password' }) ?? '';
    const admin = new Redis(redis.url, { lazyConnect: true });
    await admin.connect();
    await admin.config('SET', 'requirepass', redisPassword);
    admin.disconnect();
    const [redisService] = ofKind(objects, 'Service').filter((service) => service.metadata.labels?.['app.kubernetes.io/component'] === 'redis');
    const deployments = workloadsOf(objects).filter((w) => w.object.kind === 'Deployment');
    const plans = await planLocalPods(objects, deployments, {
      workspaceRoot: WORKSPACE_ROOT,
      stateDir,
      standIns: { [redisService?.metadata.name ?? 'redis']: Number(new URL(redis.url).port) },
    });
    for (const plan of plans) if (plan.port !== undefined) await assertPortFree(plan.port, plan.name);
    pods = plans.map((plan) => new LocalPod(plan));
    for (const pod of pods) await pod.start();
    await Promise.all(pods.map((pod) => pod.waitUntilReady(90_000)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.stop()));
    await redis?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('starts one process per service, each with exactly the variables its Deployment sets plus the image’s own', () => {
    expect(pods.map((pod) => pod.plan.component).sort()).toEqual([...SERVICES].sort());
    for (const pod of pods) {
      const deployment = workloadsOf(objects).find((w) => w.object.metadata.name === pod.plan.name);
      // An optional Secret key the chart does not hold leaves its variable unset, as the kubelet does.
      const declared = (deployment?.pod.containers[0]?.env ?? []).filter((v) => v.valueFrom?.secretKeyRef?.optional !== true).map((v) => v.name);
      expect(Object.keys(pod.plan.env)).toEqual(expect.arrayContaining(declared));
      const url = new URL(redis.url);
      url.password = redisPassword;
      expect(pod.plan.env['REDIS_URL']).toBe(url.toString());
    }
  });

  it('runs them against a Redis that refuses clients without the password their REDIS_URL carries', async () => {
    // A bare PING over the wire: a client library would retry and reconnect on the refusal.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(redis.url).port), '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
  });

  it('answers 200 on every probe path the chart declares', async () => {
    const probes = pods.flatMap((pod) => pod.plan.probes.map((probe) => ({ pod: pod.plan.name, ...probe })));
    expect(new Set(probes.map((probe) => probe.kind))).toEqual(new Set(['startup', 'liveness', 'readiness']));
    for (const probe of probes) {
      const response = await fetch(probe.url);
      expect({ ...probe, status: response.status }).toEqual({ ...probe, status: 200 });
    }
  });

  it('passes the golden-path e2e suite through the SLIPWAY_E2E_* URLs', async () => {
    const urls = Object.fromEntries(pods.map((pod) => [E2E_URL_VARIABLES[pod.plan.component], `http://127.0.0.1:${pod.plan.port}`]));
    const { code, output } = await runToEnd([process.execPath, join(WORKSPACE_ROOT, 'node_modules/jest/bin/jest.js'), '-c', 'apps/platform-e2e/jest.config.cjs', '--runInBand', 'golden-path'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...urls },
    });
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  }, 240_000);

  it('passes the helm test pod (a prediction through serving)', async () => {
    const testPods = workloadsOf(objects).filter((w) => w.object.kind === 'Pod' && w.object.metadata.annotations?.['helm.sh/hook'] === 'test');
    expect(testPods).toHaveLength(1);
    const [plan] = await planLocalPods(objects, testPods, { workspaceRoot: WORKSPACE_ROOT, stateDir, standIns: {} });
    const pod = new LocalPod(plan as NonNullable<typeof plan>);
    await pod.start();
    const code = await pod.waitForExit();
    expect({ code, log: code === 0 ? '' : pod.logTail() }).toEqual({ code: 0, log: '' });
    expect(pod.logTail()).toMatch(/prediction from iris version \S+: \S+/);
  }, 120_000);

  it('registers every metric the Grafana dashboard plots', async () => {
    const dashboard = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'infra/grafana/dashboards/slipway.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const plotted = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/slipway_[a-z_]+/g) ?? [])));
    const exposition = (await Promise.all(pods.map(async (pod) => (await fetch(`http://127.0.0.1:${pod.plan.port}/metrics`)).text()))).join('\n');
    // Registered metrics, sampled or not yet: their TYPE lines, with a histogram's series suffixes.
    const exposed = new Set(
      [...exposition.matchAll(/^# TYPE (slipway_[a-z_]+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' || type === 'summary' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ),
    );
    expect(plotted.size).toBeGreaterThan(0);
    expect([...plotted].filter((metric) => !exposed.has(metric))).toEqual([]);
  });
});
