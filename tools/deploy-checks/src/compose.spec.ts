import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dockerCompose, resolvedCompose, type ComposeProject } from './support/compose';
import { composeServiceIdentity } from './support/service-identity';
import { WORKSPACE_ROOT } from './support/workspace';

const readYaml = <T>(path: string) => parse(readFileSync(join(WORKSPACE_ROOT, path), 'utf8')) as T;

describe('docker-compose.yml', () => {
  let compose: ComposeProject;
  let slipway: string[];

  beforeAll(async () => {
    compose = await resolvedCompose();
    slipway = Object.keys(compose.services).filter((name) => composeServiceIdentity(name));
  });

  it('passes `docker-compose config -q` with every profile', async () => {
    await expect(dockerCompose(['config', '-q'])).resolves.toEqual({ stdout: '', stderr: '' });
  });

  it('keeps Redis on an append-only file in a volume, next to PostgreSQL, both with healthchecks', () => {
    const redis = compose.services['redis'];
    expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis?.volumes?.some((volume) => volume.endsWith(':/data:rw') || volume.endsWith(':/data'))).toBe(true);
    expect(redis?.healthcheck?.test).toBeDefined();
    expect(compose.services['postgres']?.healthcheck?.test).toBeDefined();
  });

  it('runs Redis with the password (REDIS_PASSWORD, a dev default) that every REDIS_URL carries, its healthcheck authenticated', () => {
    const command = compose.services['redis']?.command ?? [];
    const password = command[command.indexOf('--requirepass') + 1];
    expect(password?.length).toBeGreaterThan(0);
    expect(command[command.indexOf('--protected-mode') + 1]).toBe('yes');
    expect(compose.services['redis']?.environment?.['REDISCLI_AUTH']).toBe(password);
    for (const name of slipway) {
      const url = new URL(compose.services[name]?.environment?.['REDIS_URL'] as string);
      expect({ name, host: url.hostname, password: url.password }).toEqual({ name, host: 'redis', password });
    }
  });

  it('starts each service after a healthy Redis (serving after a healthy registry), and checks its readiness', () => {
    for (const name of slipway) {
      const service = compose.services[name];
      expect({ name, redis: service?.depends_on?.['redis']?.condition }).toEqual({ name, redis: 'service_healthy' });
      expect(service?.healthcheck?.test.join(' ')).toContain('/readyz');
    }
    expect(compose.services['serving']?.depends_on?.['model-registry']?.condition).toBe('service_healthy');
  });

  it('shares one artifacts volume at SLIPWAY_ARTIFACTS between the services that read it', () => {
    const mounts = slipway
      .filter((name) => compose.services[name]?.environment?.['SLIPWAY_ARTIFACTS'])
      .map((name) => {
        const service = compose.services[name];
        const path = service?.environment?.['SLIPWAY_ARTIFACTS'];
        return service?.volumes?.find((volume) => volume.split(':')[1] === path)?.split(':')[0];
      });
    expect(mounts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mounts)).toEqual(new Set(['artifacts']));
    const registry = compose.services['model-registry'];
    const databaseDir = registry?.environment?.['SLIPWAY_DATABASE_URL']?.replace(/^sqlite:/, '').replace(/\/[^/]+$/, '');
    expect(registry?.volumes?.some((volume) => volume.split(':')[1] === databaseDir)).toBe(true);
  });

  it('reserves an NVIDIA GPU for the gpu profile trainer', () => {
    const gpu = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('gpu'));
    expect(gpu.map(([name]) => composeServiceIdentity(name))).toEqual(['trainer']);
    const [, trainer] = gpu[0] ?? [];
    expect(trainer?.deploy?.resources?.reservations?.devices).toEqual([expect.objectContaining({ driver: 'nvidia', capabilities: ['gpu'] })]);
    expect(trainer?.environment?.['SLIPWAY_TF_BACKEND']).toBe('tensorflow-gpu');
    expect(trainer?.build?.dockerfile).toBe('infra/docker/Dockerfile.gpu');
  });

  it('lets Prometheus (monitoring profile) scrape every service at its compose port', () => {
    const config = readYaml<{ scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] }>('infra/prometheus/prometheus.yml');
    const targets = config.scrape_configs.flatMap((job) => {
      expect(job.metrics_path).toBe('/metrics');
      return job.static_configs.flatMap((c) => c.targets);
    });
    const expected = slipway.map((name) => `${name}:${compose.services[name]?.environment?.['PORT']}`);
    expect(targets.sort()).toEqual(expected.sort());
    const prometheus = compose.services['prometheus'];
    expect(prometheus?.profiles).toEqual(['monitoring']);
    expect(prometheus?.volumes?.some((volume) => volume.includes('infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml'))).toBe(true);
  });

  it('provisions Grafana (monitoring profile) with that Prometheus and the Slipway dashboard', () => {
    const grafana = compose.services['grafana'];
    expect(grafana?.profiles).toEqual(['monitoring']);
    const datasources = readYaml<{ datasources: { uid: string; url: string }[] }>('infra/grafana/provisioning/datasources/prometheus.yml').datasources;
    const prometheusPort = compose.services['prometheus']?.ports?.[0]?.target;
    expect(datasources.map((d) => d.url)).toEqual([`http://prometheus:${prometheusPort}`]);
    const provider = readYaml<{ providers: { options: { path: string } }[] }>('infra/grafana/provisioning/dashboards/slipway.yml').providers[0];
    const dashboardsMount = grafana?.volumes?.find((volume) => volume.includes('infra/grafana/dashboards:'));
    expect(dashboardsMount?.split(':')[1]).toBe(provider?.options.path);
    const dashboard = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'infra/grafana/dashboards/slipway.json'), 'utf8')) as { panels: { datasource: { uid: string }; targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(datasources[0]?.uid);
      expect(panel.targets.every((target) => /slipway_[a-z_]+/.test(target.expr))).toBe(true);
    }
  });
});
