import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveContainerEnv } from './chart-env';
import { mapImagePaths, runtimeLayout, type PathMapping } from './dockerfile-layout';
import { NAMESPACE } from './helm';
import { workloadsOf, type ContainerSpec, type K8sObject, type Workload } from './manifests';

export class LocalPodError extends Error {
  override readonly name = 'LocalPodError';
}

/** How a pod of the rendered chart runs as a local process. */
export interface LocalPodPlan {
  name: string;
  component: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** The container port named http, where the process listens (same number as in the pod). */
  port?: number;
  /** Every HTTP probe the container declares, as a local URL. */
  probes: { kind: 'startup' | 'liveness' | 'readiness'; url: string }[];
  logFile: string;
}

export interface LocalRunOptions {
  workspaceRoot: string;
  /** Holds one directory per PersistentVolumeClaim, emptyDir and ConfigMap volume, and the logs. */
  stateDir: string;
  /**
   * Services the run does not start a pod for, answered by a local stand-in instead: Service name → local port
   * (the chart's Redis StatefulSet → a redis-server on a free port).
   */
  standIns: Record<string, number>;
}

const IMAGE_NAME = /^(?:.*\/)?([^/:]+)(?::[^/]+)?$/;

/** The Dockerfile and build args an image of the chart comes from: <repository>/<service>, or <service>-gpu. */
function imageSource(image: string, workspaceRoot: string): { dockerfile: string; buildArgs: Record<string, string> } {
  const name = IMAGE_NAME.exec(image)?.[1] ?? '';
  if (name.endsWith('-gpu')) return { dockerfile: join(workspaceRoot, 'infra/docker/Dockerfile.gpu'), buildArgs: {} };
  return { dockerfile: join(workspaceRoot, 'infra/docker/Dockerfile'), buildArgs: { APP: name } };
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * In-cluster addresses → loopback: for every Service, each port → the local port of what answers it (the process
 * of a selected pod, listening on its container port, or a stand-in). Keyed by every name the cluster DNS gives it.
 */
function serviceEndpoints(objects: readonly K8sObject[], workloads: readonly Workload[], standIns: Record<string, number>): Map<string, Map<number, number>> {
  const endpoints = new Map<string, Map<number, number>>();
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const spec = service.spec as { selector: Record<string, string>; ports: { port: number; targetPort: number | string }[] };
    const ports = new Map<number, number>();
    for (const port of spec.ports) {
      const standIn = standIns[service.metadata.name];
      if (standIn !== undefined) {
        ports.set(port.port, standIn);
        continue;
      }
      const pod = workloads.find((w) => w.object.kind === 'Deployment' && selects(spec.selector, w.labels));
      const containerPort = pod?.pod.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === port.targetPort || p.containerPort === port.targetPort)?.containerPort;
      if (containerPort !== undefined) ports.set(port.port, containerPort);
    }
    const name = service.metadata.name;
    for (const host of [name, `${name}.${NAMESPACE}`, `${name}.${NAMESPACE}.svc`, `${name}.${NAMESPACE}.svc.cluster.local`]) endpoints.set(host, ports);
  }
  return endpoints;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'redis:': 6379, 'rediss:': 6379, 'postgres:': 5432, 'postgresql:': 5432 };

function mapServiceUrl(value: string, endpoints: Map<string, Map<number, number>>): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  const ports = endpoints.get(url.hostname);
  if (!ports) return value;
  const servicePort = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const local = servicePort === undefined ? undefined : ports.get(servicePort);
  if (local === undefined) throw new LocalPodError(`${value}: service ${url.hostname} has no port ${servicePort} in the rendered chart`);
  url.hostname = '127.0.0.1';
  url.port = String(local);
  const mapped = url.toString();
  // URL adds "/" to an http origin; the value had none.
  return mapped.endsWith('/') && !value.endsWith('/') ? mapped.slice(0, -1) : mapped;
}

/** Plans one local process per pod of the given workloads: the container's command, env and ports, paths and hosts mapped. */
export async function planLocalPods(objects: readonly K8sObject[], selected: readonly Workload[], options: LocalRunOptions): Promise<LocalPodPlan[]> {
  const endpoints = serviceEndpoints(objects, workloadsOf(objects), options.standIns);
  const plans: LocalPodPlan[] = [];
  for (const workload of selected) {
    const name = workload.object.metadata.name;
    if (workload.pod.containers.length !== 1) throw new LocalPodError(`${name}: a local run starts pods of one container, this one has ${workload.pod.containers.length}`);
    const container = workload.pod.containers[0] as ContainerSpec;
    const { dockerfile, buildArgs } = imageSource(container.image, options.workspaceRoot);
    const layout = runtimeLayout(dockerfile, options.workspaceRoot, buildArgs);
    const volumes: PathMapping[] = [];
    for (const mount of container.volumeMounts ?? []) {
      const volume = workload.pod.volumes?.find((v) => v.name === mount.name);
      let dir: string;
      if (volume?.persistentVolumeClaim) dir = join(options.stateDir, 'claims', volume.persistentVolumeClaim.claimName);
      else if (volume?.configMap) dir = await writeConfigMap(objects, volume.configMap.name, join(options.stateDir, 'config-maps', volume.configMap.name));
      else if (volume?.emptyDir) dir = join(options.stateDir, 'pods', name, mount.name);
      else throw new LocalPodError(`${name}: volume ${mount.name} is of a kind a local run does not provide`);
      await mkdir(dir, { recursive: true });
      volumes.push({ imagePath: mount.mountPath, workspacePath: dir });
    }
    const paths = [...volumes, ...layout.paths].sort((a, b) => b.imagePath.length - a.imagePath.length);
    const declared = { ...layout.env, ...resolveContainerEnv(container, objects) };
    const env = Object.fromEntries(
      Object.entries(declared).map(([key, value]) => [key, key === 'HOST' && value === '0.0.0.0' ? '127.0.0.1' : mapServiceUrl(mapImagePaths(value, paths), endpoints)]),
    );
    const command = [...(container.command ?? []), ...(container.args ?? [])];
    if (command.length === 0) throw new LocalPodError(`${name}: the chart declares no command; a local run starts what the chart says`);
    const [program = '', ...args] = command.map((part) => mapImagePaths(part, paths));
    const entry = args.find((arg) => arg.endsWith('.js'));
    if (entry && !existsSync(entry)) throw new LocalPodError(`${name}: ${entry} is missing; build first (npx nx run-many -t build -p model-registry data-prep trainer serving monitoring)`);
    const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
    const probes = (['startup', 'liveness', 'readiness'] as const).flatMap((kind) => {
      const probe = container[`${kind}Probe`]?.httpGet;
      if (!probe) return [];
      const probePort = typeof probe.port === 'number' ? probe.port : container.ports?.find((p) => p.name === probe.port)?.containerPort;
      return [{ kind, url: `http://127.0.0.1:${probePort}${probe.path}` }];
    });
    plans.push({
      name,
      component: workload.labels['app.kubernetes.io/component'] ?? name,
      // The image's node is the Node running these checks.
      argv: [program === 'node' ? process.execPath : program, ...args],
      cwd: mapImagePaths(layout.workdir, paths),
      env,
      ...(port === undefined ? {} : { port }),
      probes,
      logFile: join(options.stateDir, 'logs', `${name}.log`),
    });
  }
  return plans;
}

async function writeConfigMap(objects: readonly K8sObject[], name: string, dir: string): Promise<string> {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!configMap) throw new LocalPodError(`ConfigMap ${name} is not in the rendered chart`);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(configMap.data ?? {})) await writeFile(join(dir, file), content);
  return dir;
}

/** A planned pod running as a process with exactly its environment (nothing inherited from this process). */
export class LocalPod {
  private child?: ChildProcess;

  constructor(readonly plan: LocalPodPlan) {}

  async start(): Promise<void> {
    await mkdir(join(this.plan.logFile, '..'), { recursive: true });
    const log = createWriteStream(this.plan.logFile, { flags: 'a' });
    this.child = spawn(this.plan.argv[0] as string, this.plan.argv.slice(1), { cwd: this.plan.cwd, env: this.plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.pipe(log, { end: false });
    this.child.stderr?.pipe(log, { end: false });
    this.child.once('exit', () => log.end());
  }

  get exited(): boolean {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  logTail(lines = 30): string {
    return existsSync(this.plan.logFile) ? readFileSync(this.plan.logFile, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
  }

  /** Polls the readiness probe, as the kubelet does, until it answers 200; fails early when the process dies. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const readiness = this.plan.probes.find((probe) => probe.kind === 'readiness');
    if (!readiness) throw new LocalPodError(`${this.plan.name} declares no readiness probe`);
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exited) throw new LocalPodError(`${this.plan.name} exited during start-up:\n${this.logTail()}`);
      try {
        const response = await fetch(readiness.url, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new LocalPodError(`${this.plan.name} not ready at ${readiness.url} after ${timeoutMs} ms (${last}):\n${this.logTail()}`);
  }

  /** Resolves with the exit code once the process ends by itself. */
  waitForExit(): Promise<number | null> {
    const child = this.child;
    if (!child) return Promise.resolve(null);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** SIGTERM, as the kubelet sends it, then SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.waitForExit();
    clearTimeout(timer);
  }
}
