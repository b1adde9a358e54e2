import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..', '..');
const BIN = join(WORKSPACE, 'node_modules', '.bin');
const PROTO_DIR = 'libs/registry/src/imports/triton/proto';

describe('proto/model_config_pb.ts', () => {
  // Generated files drift silently; this is what makes CI notice. Fix: `npm run proto:triton`, then commit.
  it('is what `npm run proto:triton` generates from model_config.proto now', () => {
    const out = mkdtempSync(join(tmpdir(), 'triton-proto-'));
    try {
      execFileSync(join(BIN, 'buf'), ['generate', PROTO_DIR, '--template', `${PROTO_DIR}/buf.gen.yaml`, '--output', out], {
        cwd: WORKSPACE,
        env: { ...process.env, PATH: `${BIN}${delimiter}${process.env['PATH'] ?? ''}` },
      });
      const generated = readFileSync(join(out, PROTO_DIR, 'model_config_pb.ts'), 'utf8');
      expect(readFileSync(join(WORKSPACE, PROTO_DIR, 'model_config_pb.ts'), 'utf8') === generated).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
