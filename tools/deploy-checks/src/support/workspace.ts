import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
/** Git-ignored: the Go tools (tools/go-tools/install.sh) and the generated schemas live here. */
export const TOOLS_DIR = join(WORKSPACE_ROOT, '.tools');
export const TOOLS_BIN = join(TOOLS_DIR, 'bin');
export const SCHEMA_CACHE = join(TOOLS_DIR, 'schemas');
export const CHART_DIR = join(WORKSPACE_ROOT, 'infra', 'helm', 'slipway');
export const COMPOSE_FILE = join(WORKSPACE_ROOT, 'docker-compose.yml');

export const toolPath = (name: 'helm' | 'kubeconform' | 'kind' | 'controller-gen'): string => join(TOOLS_BIN, name);
