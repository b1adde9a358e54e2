import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SCHEMA_SOURCES, type GoModulePin } from '../support/pins';
import { runCommand } from '../support/run-command';
import { SCHEMA_CACHE, toolPath } from '../support/workspace';
import { downloadGoModule } from './go-module';
import { KUBECONFORM_LOCATION_TEMPLATE, schemasFromCrds, schemasFromOpenApi, type JsonSchema } from './json-schema-conversion';

type SourceName = keyof typeof SCHEMA_SOURCES;

/** How each source's module turns into schema files. */
const GENERATORS: Record<SourceName, (moduleDir: string) => Promise<Map<string, JsonSchema>>> = {
  kubernetes: async (dir) => schemasFromOpenApi(JSON.parse(await readFile(join(dir, 'api/openapi-spec/swagger.json'), 'utf8'))),
  keda: async (dir) => schemasFromCrds(await yamlDocumentsIn(join(dir, 'config/crd/bases'))),
  istio: async (dir) => schemasFromCrds(await yamlDocuments(join(dir, 'kubernetes/customresourcedefinitions.gen.yaml'))),
  gatewayApi: async (dir) => schemasFromCrds(await yamlDocumentsIn(join(dir, 'config/crd/standard'))),
  prometheusOperator: async (dir) => schemasFromCrds(await generateCrdsWithControllerGen(dir, './v1')),
  argoCd: async (dir) => schemasFromCrds(await yamlDocumentsIn(join(dir, 'manifests/crds'))),
};

async function yamlDocuments(file: string): Promise<unknown[]> {
  return parseAllDocuments(await readFile(file, 'utf8')).map((document) => document.toJS({ maxAliasCount: -1 }) as unknown);
}

async function yamlDocumentsIn(dir: string): Promise<unknown[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml').sort();
  return (await Promise.all(files.map((name) => yamlDocuments(join(dir, name))))).flat();
}

/**
 * The Prometheus Operator publishes its API types, not its CRD files, as a Go module: controller-gen (the generator
 * upstream uses) turns the kubebuilder markers of those types into the CRDs. It needs a writable copy of the module
 * with its dependencies downloaded.
 */
async function generateCrdsWithControllerGen(moduleDir: string, packages: string): Promise<unknown[]> {
  const work = await mkdtemp(join(tmpdir(), 'slipway-controller-gen-'));
  try {
    const source = join(work, 'module');
    await cp(moduleDir, source, { recursive: true });
    await runCommand('chmod', ['-R', 'u+w', source]);
    await runCommand('go', ['mod', 'download'], { cwd: source, env: { ...process.env, GOFLAGS: '-mod=mod' } });
    const out = join(work, 'crds');
    await runCommand(toolPath('controller-gen'), ['crd:crdVersions=v1', `paths=${packages}`, `output:crd:dir=${out}`], { cwd: source });
    return await yamlDocumentsIn(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const rootOf = (pin: GoModulePin) => join(SCHEMA_CACHE, `${pin.module.replace(/\//g, '_')}@${pin.version}`);

/** Builds one source's schemas unless they are cached; writes to a temporary directory first so a concurrent run never reads half a set. */
async function ensureSource(name: SourceName): Promise<string> {
  const pin = SCHEMA_SOURCES[name];
  const root = rootOf(pin);
  if (existsSync(join(root, '.complete'))) return root;
  const files = await GENERATORS[name](await downloadGoModule(pin));
  if (files.size === 0) throw new Error(`${pin.module}@${pin.version} yielded no schema`);
  const staging = `${root}.${randomUUID()}.tmp`;
  for (const [file, schema] of files) {
    await mkdir(dirname(join(staging, file)), { recursive: true });
    await writeFile(join(staging, file), JSON.stringify(schema));
  }
  await writeFile(join(staging, '.complete'), `${pin.module}@${pin.version}: ${files.size} schemas\n`);
  await mkdir(SCHEMA_CACHE, { recursive: true });
  try {
    await rename(staging, root);
  } catch (error) {
    // Another run finished the same set first: keep its copy.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(root, '.complete'))) throw error;
  }
  return root;
}

/** The kubeconform `-schema-location` of every source, building what is missing. */
export async function ensureSchemaLocations(): Promise<string[]> {
  const roots: string[] = [];
  for (const name of Object.keys(SCHEMA_SOURCES) as SourceName[]) roots.push(await ensureSource(name));
  return roots.map((root) => join(root, KUBECONFORM_LOCATION_TEMPLATE));
}
