import { DEFAULT_PORTS, type ServiceName } from './common-variables';
import type { ServiceConfigDefinition } from './env-var';
import { loadConfig } from './load-config';
import { launcherConfig, SERVICE_CONFIGS } from './service-configs';

const services = Object.entries(SERVICE_CONFIGS) as [ServiceName, ServiceConfigDefinition][];

describe('SERVICE_CONFIGS', () => {
  it('has a configuration for every service with a default port', () => {
    expect(Object.keys(SERVICE_CONFIGS).sort()).toEqual(Object.keys(DEFAULT_PORTS).sort());
  });

  it.each(services)('%s starts with an empty environment', (_service, definition) => {
    expect(() => loadConfig(definition, {})).not.toThrow();
  });

  // zod 4 returns a default without validating it, so feed each default back in as a variable would be set:
  // lists comma-separated, documents as JSON.
  const spelledAsVariable = (value: unknown): string =>
    Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);

  it.each(services)('%s has defaults that pass their own validation', (_service, definition) => {
    const defaults = loadConfig(definition, {});
    // An optional variable without a default stays unset.
    const asEnvironment = Object.fromEntries(Object.entries(defaults).flatMap(([name, value]) => (value === undefined ? [] : [[name, spelledAsVariable(value)]])));
    expect(loadConfig(definition, asEnvironment)).toEqual(defaults);
  });

  it.each(services)('%s treats an empty variable as unset', (_service, definition) => {
    const blank = Object.fromEntries(Object.keys(definition.variables).map((name) => [name, '']));
    expect(loadConfig(definition, blank)).toEqual(loadConfig(definition, {}));
  });

  it.each(services)('%s listens on its own default port', (service, definition) => {
    expect(loadConfig(definition, {}).PORT).toBe(DEFAULT_PORTS[service]);
  });

  it('gives every service a different default port', () => {
    const ports = services.map(([, definition]) => loadConfig(definition, {}).PORT);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it.each(services)('%s traces only when OTEL_EXPORTER_OTLP_ENDPOINT names an http(s) collector', (_service, definition) => {
    expect(loadConfig(definition, {}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(loadConfig(definition, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(() => loadConfig(definition, { OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it.each(services)('%s describes every variable', (_service, definition) => {
    for (const [name, variable] of Object.entries(definition.variables)) expect([name, variable.description.trim().length > 0]).toEqual([name, true]);
  });
});

describe('launcherConfig', () => {
  it('reads the port of each service from its variable', () => {
    const config = loadConfig(launcherConfig, {
      MODEL_REGISTRY_PORT: '4101',
      DATA_PREP_PORT: '4102',
      TRAINER_PORT: '4103',
      MONITORING_PORT: '4104',
      SERVING_PORT: '4180',
    });
    expect(config).toMatchObject({ MODEL_REGISTRY_PORT: 4101, DATA_PREP_PORT: 4102, TRAINER_PORT: 4103, MONITORING_PORT: 4104, SERVING_PORT: 4180 });
  });

  it('falls back to the default port of each service', () => {
    const config = loadConfig(launcherConfig, {});
    expect([config.MODEL_REGISTRY_PORT, config.DATA_PREP_PORT, config.TRAINER_PORT, config.MONITORING_PORT, config.SERVING_PORT]).toEqual([
      DEFAULT_PORTS['model-registry'],
      DEFAULT_PORTS['data-prep'],
      DEFAULT_PORTS.trainer,
      DEFAULT_PORTS.monitoring,
      DEFAULT_PORTS.serving,
    ]);
  });

  it('names each bad port', () => {
    expect(() => loadConfig(launcherConfig, { TRAINER_PORT: '70000', SERVING_PORT: 'http' })).toThrow(/TRAINER_PORT.*SERVING_PORT/);
  });

  // `slipway up` starts its own redis-server when REDIS_URL is unset; a default would send it to whatever listens on 6379.
  it('leaves REDIS_URL unset when the environment does not name one', () => {
    expect(loadConfig(launcherConfig, {}).REDIS_URL).toBeUndefined();
  });

  it('reads REDIS_URL and rejects a URL that is not redis:// or rediss://', () => {
    expect(loadConfig(launcherConfig, { REDIS_URL: 'rediss://cache:6380' }).REDIS_URL).toBe('rediss://cache:6380');
    expect(() => loadConfig(launcherConfig, { REDIS_URL: 'http://cache:6380' })).toThrow(/REDIS_URL/);
  });
});
