import type { CacheExplanation } from '@slipway/contracts';

const LABEL_WIDTH = 12;
const label = (name: string) => `  ${name.padEnd(LABEL_WIDTH)} `;
const continued = ' '.repeat(LABEL_WIDTH + 3);

/** Why a step hit or missed the cache, for a terminal: the summary, the key and its parts, then the hit or the nearest entry and what differs. */
export function formatCacheExplanation(explanation: CacheExplanation): string {
  const { runId, step, kind, status, key, components, hit, nearest } = explanation;
  const lines = [`${step} of run ${runId} (${kind}, ${status}): ${explanation.summary}`, `${label('key')}${key ?? '—'}`];
  if (components) {
    lines.push(`${label('kind')}${components.kind}`, `${label('code version')}${components.codeVersion}`);
    lines.push(...labelled('params', aligned(Object.entries(flattenLeaves(components.params)), ' = ')));
    lines.push(...labelled('inputs', aligned(Object.entries(components.inputs), '  ')));
  }
  if (hit) lines.push(`${label('hit')}${hit.runId}/${hit.step}, cached at ${hit.at}`);
  if (nearest) {
    lines.push(`${label('nearest')}${nearest.runId}/${nearest.step} (key ${nearest.key})`);
    const differences = nearest.differences.map((d) => [d.part, `was ${formatValue(d.was)}  now ${formatValue(d.now)}`] as [string, string]);
    lines.push(...labelled('differs', aligned(differences, '  ')));
  }
  return lines.join('\n');
}

/** The first line after the label, the rest under it; nothing for an empty list. */
function labelled(name: string, values: string[]): string[] {
  return values.map((value, i) => `${i === 0 ? label(name) : continued}${value}`);
}

function aligned(pairs: [string, string][], separator: string): string[] {
  const width = Math.max(0, ...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `${name.padEnd(width)}${separator}${value}`);
}

/** `{model: {layers: [{units: 8}]}}` → `{'model.layers.0.units': '8'}`, the way the differences name their parts. */
function flattenLeaves(value: unknown, path = '', leaves: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value) && value.length === 0) leaves[path] = '[]';
  else if (Array.isArray(value)) value.forEach((item, i) => flattenLeaves(item, path === '' ? String(i) : `${path}.${i}`, leaves));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flattenLeaves(child, path === '' ? key : `${path}.${key}`, leaves);
  } else if (value !== undefined) leaves[path] = formatValue(value);
  return leaves;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
