import { loadConfig } from './load-config';
import { dataPrepConfig } from './service-configs';

describe('dataPrepConfig', () => {
  it('allows no http(s) host, reads up to 1 GiB and waits 30 s for a silent source by default', () => {
    expect(loadConfig(dataPrepConfig, {})).toMatchObject({ SLIPWAY_DATA_HTTP_HOSTS: [], SLIPWAY_DATA_MAX_BYTES: 1024 ** 3, SLIPWAY_DATA_HTTP_TIMEOUT_MS: 30_000 });
  });

  it('reads the allow-list as lowercase hosts, with ports where given', () => {
    const config = loadConfig(dataPrepConfig, { SLIPWAY_DATA_HTTP_HOSTS: ' Data.Example.org, 127.0.0.1:8080,[::1]:9000,data.example.org ' });
    expect(config.SLIPWAY_DATA_HTTP_HOSTS).toEqual(['data.example.org', '127.0.0.1:8080', '[::1]:9000']);
  });

  it('names the variable of a host given as a URL, and of a size that is not a positive integer', () => {
    expect(() => loadConfig(dataPrepConfig, { SLIPWAY_DATA_HTTP_HOSTS: 'https://data.example.org/x' })).toThrow(/SLIPWAY_DATA_HTTP_HOSTS/);
    expect(() => loadConfig(dataPrepConfig, { SLIPWAY_DATA_MAX_BYTES: '1.5GB' })).toThrow(/SLIPWAY_DATA_MAX_BYTES/);
  });
});
