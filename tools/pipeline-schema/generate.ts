/**
 * Writes schemas/pipeline.schema.json, the JSON Schema editors use to check and complete pipeline files, from the
 * zod schema the registry parses them with. Run `npm run schema:pipeline` after changing the pipeline contracts;
 * libs/contracts/src/pipeline/pipeline-json-schema.spec.ts fails while the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineSpecSchema } from '@slipway/contracts';
import { z } from 'zod';

// The input side: what a file may contain (defaults optional), not what parsing produces. Draft-07 because
// yaml-language-server (VS Code's YAML extension) supports JSON Schema 7 and below.
const schema = z.toJSONSchema(pipelineSpecSchema, { io: 'input', target: 'draft-07' });
const path = join(__dirname, '..', '..', 'schemas', 'pipeline.schema.json');
writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`wrote ${path}`);
