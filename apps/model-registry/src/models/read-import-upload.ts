import { PayloadTooLargeException } from '@nestjs/common';
import { IMPORT_REFERENCE_PART, importFieldsSchema, type ImportFields } from '@slipway/contracts';
import { parseRequest, RequestValidationError } from '@slipway/observability';
import type { RepositoryFile } from '@slipway/registry';
import type { FastifyRequest } from 'fastify';

export interface ImportUpload {
  files: RepositoryFile[];
  fields: ImportFields;
  /** The file part named `reference`: reference rows (CSV) for drift monitoring. */
  reference?: RepositoryFile;
}


// A Triton repository of many versions and shards is many parts; busboy's default of 1,000 is too few.
const MAX_PARTS = 100_000;

/**
 * Reads a multipart import: each file part's filename is its '/'-separated path (busboy keeps it whole only with
 * preservePath), except the one file part named `reference` (reference rows for drift); every other part a form field. The whole upload is held in memory, since the runtimes load models
 * from bytes, so it is refused once its files add up to more than `maxBytes`.
 * @throws RequestValidationError (400) for a body that is not multipart, a field or the reference given twice, an
 *   unknown field, or a bad value; PayloadTooLargeException (413) over the limit
 */
export async function readImportUpload(request: FastifyRequest, maxBytes: number): Promise<ImportUpload> {
  if (!request.isMultipart()) throw new RequestValidationError('the body must be multipart/form-data: one file part per file, its filename the file\'s path');
  const files: RepositoryFile[] = [];
  const fields: Record<string, string> = {};
  let reference: RepositoryFile | undefined;
  let total = 0;
  const tooLarge = () => new PayloadTooLargeException(`the upload is larger than ${maxBytes} bytes (SLIPWAY_IMPORT_MAX_BYTES)`);
  try {
    for await (const part of request.parts({ preservePath: true, limits: { fileSize: maxBytes, parts: MAX_PARTS } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        total += bytes.byteLength;
        if (total > maxBytes) throw tooLarge();
        const file = { path: part.filename, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
        if (part.fieldname !== IMPORT_REFERENCE_PART) files.push(file);
        else if (reference !== undefined) throw new RequestValidationError(`file part "${IMPORT_REFERENCE_PART}" was sent twice: give one CSV of reference rows`);
        else reference = file;
        continue;
      }
      if (part.fieldname in fields) throw new RequestValidationError(`form field "${part.fieldname}" was sent twice`);
      fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if ((error as { code?: string }).code === 'FST_PARTS_LIMIT') throw new RequestValidationError(`the upload has more than ${MAX_PARTS} parts`);
    throw error;
  }
  return { files, fields: parseRequest(importFieldsSchema, fields, 'fields'), ...(reference ? { reference } : {}) };
}
