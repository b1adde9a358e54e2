import type { PipelineSpec } from '@slipway/contracts';

/**
 * A run's params: the resolved pipeline spec (defaults applied) flattened to dotted keys, e.g.
 * `model.spec.learningRate` → `0.01`, `model.spec.layers.0.units` → `16`. Leaves are stored as text.
 */
export function pipelineParams(spec: PipelineSpec): Record<string, string> {
  const params: Record<string, string> = {};
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value) && value.length === 0) params[path] = '[]';
    else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}.${i}`));
    else if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`);
    else if (value !== undefined) params[path] = String(value);
  };
  visit(spec, '');
  return params;
}
