import { readFile } from 'node:fs/promises';
import { pipelineSpecSchema, type PipelineSpec } from '@slipway/contracts';
import { LineCounter, parseDocument } from 'yaml';
import { CliError, EXIT } from './cli.error';

/** Reads a pipeline spec from JSON or YAML; every bad field is named by its path (and line, for YAML). */
export async function loadPipelineFile(path: string): Promise<PipelineSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read pipeline file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new CliError(`${path} is not valid YAML/JSON: ${document.errors.map((e) => e.message).join('; ')}`, EXIT.usage);
  }
  const parsed = pipelineSpecSchema.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const node = document.getIn(issue.path as (string | number)[], true) as { range?: [number, number] } | undefined;
    const line = node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
    return `${issue.path.join('.') || '(root)'}${line}: ${issue.message}`;
  });
  throw new CliError(`${path}: invalid pipeline — ${problems.join('; ')}`, EXIT.usage);
}

