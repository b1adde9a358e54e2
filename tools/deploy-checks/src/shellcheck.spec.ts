import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './support/run-command';
import { WORKSPACE_ROOT } from './support/workspace';

describe('shell scripts', () => {
  let scripts: string[];

  beforeAll(async () => {
    // Tracked and new files alike, never ignored ones (node_modules, .tools).
    const { stdout } = await runCommand('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.sh'], { cwd: WORKSPACE_ROOT });
    scripts = [...new Set(stdout.split('\n').filter(Boolean))].filter((file) => {
      try {
        readFileSync(join(WORKSPACE_ROOT, file));
        return true;
      } catch {
        return false; // deleted in the work tree
      }
    });
  });

  it('include the deploy scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['tools/go-tools/install.sh', 'tools/kind/e2e.sh']));
  });

  it('name their shell and pass shellcheck', async () => {
    for (const script of scripts) expect({ script, shebang: readFileSync(join(WORKSPACE_ROOT, script), 'utf8').startsWith('#!') }).toEqual({ script, shebang: true });
    await expect(runCommand('shellcheck', ['--external-sources', ...scripts], { cwd: WORKSPACE_ROOT })).resolves.toEqual({ stdout: '', stderr: '' });
  });
});
