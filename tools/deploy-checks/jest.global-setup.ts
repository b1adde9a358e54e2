import { join } from 'node:path';
import { ensureSchemaLocations } from './src/schemas/schema-cache';
import { runCommand } from './src/support/run-command';
import { WORKSPACE_ROOT } from './src/support/workspace';

/**
 * Once per jest run: the pinned Go tools (a few minutes the first time, then cached in .tools/bin) and the offline
 * schemas (cached in .tools/schemas), so the specs only read them.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const { stdout } = await runCommand('bash', [join(WORKSPACE_ROOT, 'tools/go-tools/install.sh')]);
  process.stdout.write(`\n${stdout}`);
  const locations = await ensureSchemaLocations();
  process.stdout.write(`deploy-checks: ${locations.length} schema sources ready in ${Date.now() - started} ms\n`);
}
