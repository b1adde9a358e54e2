import { join } from 'node:path';
import { KUBE_VERSION } from './pins';
import { parseManifests, type K8sObject } from './manifests';
import { runCommand } from './run-command';
import type { ValueSet } from './value-sets';
import { CHART_DIR, toolPath } from './workspace';

export const RELEASE = 'slipway';
export const NAMESPACE = 'slipway';

function valueArgs(set: ValueSet, extra: Readonly<Record<string, string>>): string[] {
  return [
    ...set.files.flatMap((file) => ['-f', join(CHART_DIR, file)]),
    ...Object.entries({ ...set.set, ...extra }).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
  ];
}

/** `helm lint --strict` with the set's values: warnings fail too. */
export async function helmLint(set: ValueSet): Promise<string> {
  const { stdout } = await runCommand(toolPath('helm'), ['lint', CHART_DIR, '--strict', '--kube-version', KUBE_VERSION, ...valueArgs(set, {})]);
  return stdout;
}

const rendered = new Map<string, Promise<string>>();

/** The chart rendered for the pinned Kubernetes version, as YAML text (rendered once per test file and values). */
export function helmTemplateText(set: ValueSet, extra: Readonly<Record<string, string>> = {}): Promise<string> {
  const key = JSON.stringify([set, extra]);
  const cached = rendered.get(key);
  if (cached) return cached;
  const render = renderChart(set, extra);
  rendered.set(key, render);
  // A failed render is not remembered: the next caller sees the failure afresh.
  render.catch(() => rendered.delete(key));
  return render;
}

async function renderChart(set: ValueSet, extra: Readonly<Record<string, string>>): Promise<string> {
  const { stdout } = await runCommand(toolPath('helm'), [
    'template',
    RELEASE,
    CHART_DIR,
    '--namespace',
    NAMESPACE,
    '--kube-version',
    KUBE_VERSION,
    ...valueArgs(set, extra),
  ]);
  return stdout;
}

export async function helmTemplate(set: ValueSet, extra: Readonly<Record<string, string>> = {}): Promise<K8sObject[]> {
  return parseManifests(await helmTemplateText(set, extra));
}
