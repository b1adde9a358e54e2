import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { pipelineSpecSchema } from '../registry/pipeline-spec.schema';

const COMMITTED = join(__dirname, '..', '..', '..', '..', 'schemas', 'pipeline.schema.json');

describe('schemas/pipeline.schema.json', () => {
  // Generated files drift silently; this is what makes CI notice. Fix: `npm run schema:pipeline`, then commit.
  it('is what `npm run schema:pipeline` generates from pipelineSpecSchema now', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(z.toJSONSchema(pipelineSpecSchema, { io: 'input', target: 'draft-07' }));
  });

  it('lets a pipeline file name its schema with "$schema", which parsing ignores', () => {
    const file = {
      $schema: '../schemas/pipeline.schema.json',
      name: 'iris',
      model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 4 }] } },
      dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
    };
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(committed.properties)).toContain('$schema');
    const { $schema, ...withoutSchema } = file;
    expect(pipelineSpecSchema.parse(file)).toEqual(pipelineSpecSchema.parse(withoutSchema));
  });

  it('rejects a misspelt field in a step, naming it, in the file and in editors', () => {
    const file = {
      name: 'grid',
      steps: [
        { name: 'prepare', kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } },
        { name: 'train', kind: 'train', inputs: { dataset: 'prepare' }, params: { model: { layers: [{ type: 'dense', units: 4 }] }, maxParalellism: 2 } },
      ],
    };
    const parsed = pipelineSpecSchema.safeParse(file);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['maxParalellism'], path: ['steps', 1, 'params'] });
    expect(JSON.stringify(JSON.parse(readFileSync(COMMITTED, 'utf8')))).toContain('"additionalProperties":false');
  });
});
