import { DEFAULT_PORTS, loadConfig, SERVICE_CONFIGS, type ServiceConfigDefinition, type ServiceName } from '@slipway/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compositionOnlyVariables, resolveContainerEnv } from './support/chart-env';
import { resolvedCompose, type ComposeProject } from './support/compose';
import { helmTemplate } from './support/helm';
import { componentOf, workloadsOf, type ContainerSpec, type K8sObject } from './support/manifests';
import { composeServiceIdentity, SERVICES } from './support/service-identity';
import { valueSet, VALUE_SETS } from './support/value-sets';
import { CHART_DIR } from './support/workspace';

const variablesOf = (service: ServiceName) => Object.keys(SERVICE_CONFIGS[service].variables).sort();
/** Parses the environment with the service's own schema, as the service does at start-up (throws naming every bad variable). */
const parseAs = (service: ServiceName, env: Record<string, string>) => loadConfig(SERVICE_CONFIGS[service] as ServiceConfigDefinition, env);

describe('configuration parity: libs/config ⇔ docker-compose.yml ⇔ the Helm chart', () => {
  describe('docker-compose.yml', () => {
    let compose: ComposeProject;
    let slipwayServices: [string, ServiceName][];

    beforeAll(async () => {
      compose = await resolvedCompose();
      slipwayServices = Object.keys(compose.services).flatMap((name) => {
        const identity = composeServiceIdentity(name);
        return identity ? [[name, identity] as [string, ServiceName]] : [];
      });
    });

    it('runs every service of libs/config, and nothing built from the Slipway Dockerfiles that libs/config does not know', () => {
      expect([...new Set(slipwayServices.map(([, identity]) => identity))].sort()).toEqual([...SERVICES].sort());
      const built = Object.entries(compose.services).filter(([, service]) => service.build?.dockerfile?.startsWith('infra/docker/'));
      expect(built.map(([name]) => name).sort()).toEqual(slipwayServices.map(([name]) => name).sort());
    });

    it('sets exactly the variables each service reads', () => {
      for (const [name, identity] of slipwayServices) {
        expect({ service: name, variables: Object.keys(compose.services[name]?.environment ?? {}).sort() }).toEqual({ service: name, variables: variablesOf(identity) });
      }
    });

    it('sets values the service accepts, on the default ports', () => {
      for (const [name, identity] of slipwayServices) {
        const env = compose.services[name]?.environment as Record<string, string>;
        expect(() => parseAs(identity, env)).not.toThrow();
        expect(Number(env['PORT'])).toBe(DEFAULT_PORTS[identity]);
      }
    });
  });

  describe.each(VALUE_SETS.map((set) => [set.name, set] as const))('the chart with %s values', (_name, set) => {
    let objects: K8sObject[];

    beforeAll(async () => {
      objects = await helmTemplate(set);
    });

    it('deploys every service of libs/config, each Deployment setting exactly the variables it reads', () => {
      const deployments = workloadsOf(objects).filter((w) => w.object.kind === 'Deployment');
      expect([...new Set(deployments.map(componentOf))].sort()).toEqual([...SERVICES].sort());
      for (const deployment of deployments) {
        const service = componentOf(deployment) as ServiceName;
        for (const container of deployment.pod.containers) {
          // Besides: variables only another one takes in as $(NAME) (REDIS_PASSWORD in REDIS_URL), each from a Secret.
          const composition = compositionOnlyVariables(container);
          const read = (container.env ?? []).filter((v) => !composition.includes(v.name));
          expect({ deployment: deployment.object.metadata.name, variables: read.map((v) => v.name).sort() }).toEqual({
            deployment: deployment.object.metadata.name,
            variables: variablesOf(service),
          });
          const unsecret = (container.env ?? []).filter((v) => composition.includes(v.name) && !v.valueFrom?.secretKeyRef).map((v) => v.name);
          expect({ deployment: deployment.object.metadata.name, unsecret }).toEqual({ deployment: deployment.object.metadata.name, unsecret: [] });
        }
      }
    });

    it('sets values the service accepts', () => {
      for (const deployment of workloadsOf(objects).filter((w) => w.object.kind === 'Deployment')) {
        const service = componentOf(deployment) as ServiceName;
        const container = deployment.pod.containers[0] as ContainerSpec;
        // Secrets named as existing (external Redis) are not in the render: validate what the chart itself holds.
        const known = (container.env ?? []).filter((v) => !v.valueFrom || objects.some((o) => o.kind === 'Secret' && o.metadata.name === v.valueFrom?.secretKeyRef?.name));
        const env = resolveContainerEnv({ ...container, env: known }, objects);
        expect(() => parseAs(service, env)).not.toThrow();
      }
    });
  });

  describe('defaults', () => {
    // Settings whose deployed default differs from the code's on purpose.
    const DELIBERATE: Record<string, string> = { SLIPWAY_DATA_ROOT: 'the images ship data/ under /app, the code defaults to the working directory' };
    const defaultSettings = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { services: Record<ServiceName, { settings: Record<string, unknown> }> };
    const tunables = (service: ServiceName) => Object.keys(defaultSettings.services[service].settings).filter((name) => !DELIBERATE[name]);

    it('are the code’s own for every setting, in the chart and in docker-compose.yml', async () => {
      const objects = await helmTemplate(valueSet('default'));
      const compose = await resolvedCompose();
      for (const deployment of workloadsOf(objects).filter((w) => w.object.kind === 'Deployment')) {
        const service = componentOf(deployment) as ServiceName;
        const code = parseAs(service, {}) as Record<string, unknown>;
        const chart = parseAs(service, resolveContainerEnv(deployment.pod.containers[0] as ContainerSpec, objects)) as Record<string, unknown>;
        const composed = parseAs(service, compose.services[service]?.environment as Record<string, string>) as Record<string, unknown>;
        for (const name of tunables(service)) {
          expect({ service, name, chart: chart[name], compose: composed[name] }).toEqual({ service, name, chart: code[name], compose: code[name] });
        }
      }
    });
  });

  it('uses the same default ports in the chart as in the code', async () => {
    const objects = await helmTemplate(valueSet('default'));
    for (const deployment of workloadsOf(objects).filter((w) => w.object.kind === 'Deployment')) {
      const service = componentOf(deployment) as ServiceName;
      expect({ service, port: deployment.pod.containers[0]?.ports?.[0]?.containerPort }).toEqual({ service, port: DEFAULT_PORTS[service] });
    }
  });
});
