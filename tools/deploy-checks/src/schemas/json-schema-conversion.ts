/**
 * Kubernetes API definitions → the standalone, strict JSON schemas kubeconform reads (one file per kind and
 * version, every $ref inlined, additionalProperties false wherever the API lists the properties), so that a
 * misspelt or misplaced field fails validation instead of being silently dropped by the API server.
 */

export type JsonSchema = { [key: string]: unknown };

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** kubeconform's local layout, used with `-schema-location <root>/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`. */
export function schemaFileOf(gvk: GroupVersionKind): string {
  // kubeconform's {{ .Group }} is the part of apiVersion before "/", i.e. the version itself for the core group.
  return `${gvk.group || gvk.version}/${gvk.kind.toLowerCase()}_${gvk.version}.json`;
}

export const KUBECONFORM_LOCATION_TEMPLATE = '{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json';

// The API server decodes these from a JSON string or number, although the OpenAPI document says "string".
const SCALAR_UNIONS: Record<string, JsonSchema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

const isObject = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Optional fields accept null, as the API server does (it treats null as absent). */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema['type'] === 'string') return { ...schema, type: [schema['type'], 'null'] };
  if (Array.isArray(schema['oneOf'])) return { ...schema, oneOf: [...schema['oneOf'], { type: 'null' }] };
  if (Array.isArray(schema['anyOf'])) return { ...schema, anyOf: [...schema['anyOf'], { type: 'null' }] };
  return schema;
}

interface ConversionContext {
  resolve(ref: string): JsonSchema | undefined;
  /** Definitions being expanded: a $ref back into one of them (recursive types) accepts anything. */
  stack: readonly string[];
}

function convert(node: JsonSchema, context: ConversionContext): JsonSchema {
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/definitions\//, '');
    if (SCALAR_UNIONS[name]) return SCALAR_UNIONS[name];
    if (context.stack.includes(name)) return {};
    const target = context.resolve(name);
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return convert(target, { ...context, stack: [...context.stack, name] });
  }
  if (node['format'] === 'int-or-string' || node['x-kubernetes-int-or-string'] === true) {
    return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    // Descriptions are most of the bytes and no part of validation.
    if (key === 'description' || key === 'nullable') continue;
    if (key === 'properties' && isObject(value)) {
      const required = new Set(Array.isArray(node['required']) ? (node['required'] as string[]) : []);
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => {
          const converted = convert(child as JsonSchema, context);
          return [name, required.has(name) ? converted : nullable(converted)];
        }),
      );
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = convert(value, context);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((child) => convert(child as JsonSchema, context));
    } else {
      out[key] = value;
    }
  }
  if (node['nullable'] === true) return nullable(out);
  const preservesUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out['properties']) && out['additionalProperties'] === undefined && !preservesUnknown) out['additionalProperties'] = false;
  return out;
}

/** Every kind of a Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json) as file → schema. */
export function schemasFromOpenApi(document: { definitions: Record<string, JsonSchema> }): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  const resolve = (name: string) => document.definitions[name];
  for (const [name, definition] of Object.entries(document.definitions)) {
    const gvks = definition['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
    if (!gvks) continue;
    const schema = convert(definition, { resolve, stack: [name] });
    for (const gvk of gvks) files.set(schemaFileOf(gvk), { $schema: 'http://json-schema.org/schema#', ...schema });
  }
  return files;
}

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

/** Every served version of the CustomResourceDefinitions among the documents, as file → schema. */
export function schemasFromCrds(documents: readonly unknown[]): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  for (const document of documents) {
    if (!isObject(document) || document['kind'] !== 'CustomResourceDefinition') continue;
    const crd = document as unknown as CustomResourceDefinition;
    for (const version of crd.spec.versions) {
      const root = version.schema?.openAPIV3Schema;
      if (!root) continue;
      const schema = convert(root, { resolve: () => undefined, stack: [] });
      // The API server adds apiVersion, kind and metadata to every custom resource; some CRDs (Istio's) leave them out.
      const properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(schema['properties'] as JsonSchema) };
      files.set(schemaFileOf({ group: crd.spec.group, version: version.name, kind: crd.spec.names.kind }), {
        $schema: 'http://json-schema.org/schema#',
        ...schema,
        properties,
      });
    }
  }
  return files;
}
