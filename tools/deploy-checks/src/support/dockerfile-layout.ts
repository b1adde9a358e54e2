import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Where an image path comes from in the workspace, per the Dockerfile's COPY instructions. */
export interface PathMapping {
  imagePath: string;
  workspacePath: string;
}

/** What the runtime stage of a Dockerfile puts into an image: its working directory, environment and files. */
export interface ImageLayout {
  workdir: string;
  env: Record<string, string>;
  paths: PathMapping[];
}

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/**
 * The runtime (last) stage of a Dockerfile built with the given build args, as far as a local run needs it:
 * WORKDIR, ENV, and each COPY's source in the workspace. Stages that copy the context (`COPY . .`) into their
 * WORKDIR hold the workspace there, so `/workspace/dist/...` of such a stage is `<workspace>/dist/...`.
 */
export function runtimeLayout(dockerfile: string, workspaceRoot: string, buildArgs: Record<string, string>): ImageLayout {
  const expand = (value: string) => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string, bare: string) => buildArgs[braced ?? bare] ?? '');
  const stageWorkdir = new Map<string, string>();
  let stage = '';
  let workdir = '/';
  let env: Record<string, string> = {};
  let paths: PathMapping[] = [];
  for (const { keyword, args } of instructions(readFileSync(dockerfile, 'utf8'))) {
    if (keyword === 'FROM') {
      const [image = '', , name = ''] = args.split(/\s+/);
      stage = name;
      workdir = stageWorkdir.get(image) ?? '/';
      env = {};
      paths = [];
    } else if (keyword === 'WORKDIR') {
      workdir = posix.resolve(workdir, expand(args));
    } else if (keyword === 'ENV') {
      for (const pair of args.split(/\s+/)) {
        const [key = '', ...value] = pair.split('=');
        env[key] = expand(value.join('='));
      }
    } else if (keyword === 'COPY') {
      const parts = args.split(/\s+/);
      const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length);
      const [source = '', destination = ''] = parts.filter((part) => !part.startsWith('--')).map(expand);
      const imagePath = posix.resolve(workdir, destination);
      const fromWorkdir = from ? stageWorkdir.get(from) : undefined;
      if (from && fromWorkdir === undefined) continue; // another image's files (e.g. the node binary): not in the workspace
      const relative = from ? posix.relative(fromWorkdir as string, source) : source;
      if (relative.startsWith('..')) throw new Error(`${dockerfile}: COPY --from=${from} ${source} lies outside that stage's workspace`);
      paths.push({ imagePath, workspacePath: join(workspaceRoot, relative) });
    }
    // Only a stage with a working directory of its own holds the workspace; `FROM node AS node` holds an image.
    if (stage && workdir !== '/') stageWorkdir.set(stage, workdir);
  }
  // The working directory itself stands for the workspace root: the image copies data/, pipelines/ and node_modules/
  // there under their workspace names. Longest image path first, so /app/dist wins over /app.
  if (workdir !== '/') paths.push({ imagePath: workdir, workspacePath: workspaceRoot });
  paths.sort((a, b) => b.imagePath.length - a.imagePath.length);
  return { workdir, env, paths };
}

/** Rewrites absolute image paths inside a value (a path, a sqlite: URL, an argument) to their local counterparts. */
export function mapImagePaths(value: string, mappings: readonly PathMapping[]): string {
  for (const { imagePath, workspacePath } of mappings) {
    const pattern = new RegExp(`(^|[:=])${imagePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$)`);
    if (pattern.test(value)) return value.replace(pattern, (_, lead: string) => `${lead}${workspacePath}`);
  }
  return value;
}
