import type { PipelineSpec } from '@slipway/contracts';

/**
 * A run's params: the resolved pipeline spec (defaults applied) flattened to dotted keys, e.g.
 * `steps.1.params.model.learningRate` → `0.01`. Leaves are stored as text.
 */
export function pipelineParams(spec: PipelineSpec): Record<string, string> {
  return flattenLeaves(spec);
}

/** Every leaf of a JSON value under its dotted path (`a.0.b`), as text; an empty array is `[]`. */
export function flattenLeaves(value: unknown): Record<string, string> {
  const leaves: Record<string, string> = {};
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node) && node.length === 0) leaves[path] = '[]';
    else if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${path}.${i}`));
    else if (typeof node === 'object' && node !== null) for (const [key, child] of Object.entries(node)) visit(child, path === '' ? key : `${path}.${key}`);
    else if (node !== undefined) leaves[path] = String(node);
  };
  visit(value, '');
  return leaves;
}
