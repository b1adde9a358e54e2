import { parse } from 'yaml';
import { runCommand } from './run-command';
import { COMPOSE_FILE, WORKSPACE_ROOT } from './workspace';

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | null>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: { published: number; target: number }[];
  volumes?: string[];
  profiles?: string[];
  command?: string[];
  deploy?: { resources?: { reservations?: { devices?: { driver: string; count: number; capabilities: string[] }[] } } };
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_PROFILES = ['gpu', 'monitoring'] as const;

/** Compose's own variables only: the stack must resolve without anything from the caller's shell. */
const cleanEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], HOME: process.env['HOME'] });

/** Runs Debian's docker-compose (v1) against docker-compose.yml with every profile on. */
export function dockerCompose(args: readonly string[]) {
  return runCommand('docker-compose', ['--project-directory', WORKSPACE_ROOT, '-f', COMPOSE_FILE, ...COMPOSE_PROFILES.flatMap((profile) => ['--profile', profile]), ...args], {
    cwd: WORKSPACE_ROOT,
    env: cleanEnv(),
  });
}

/** The file as docker-compose resolves it: anchors merged, variables interpolated, every profile's services. */
export async function resolvedCompose(): Promise<ComposeProject> {
  return parse((await dockerCompose(['config'])).stdout) as ComposeProject;
}
