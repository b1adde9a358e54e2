import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeZodError, SHA256_DIGEST, type ArtifactRef } from '@slipway/contracts';
import type { z } from 'zod';
import type { ArtifactStore } from './artifact-store';
import { ArtifactCorruptError, ArtifactNotFoundError } from './artifact-errors';

/** Stores blobs under `<root>/sha256/<first two hex>/<hex>`, written atomically (temp file + rename). */
export class FileArtifactStore implements ArtifactStore {
  constructor(readonly location: string) {}

  async put(bytes: Uint8Array, mediaType: string): Promise<ArtifactRef> {
    const hex = createHash('sha256').update(bytes).digest('hex');
    const digest = `sha256:${hex}`;
    const path = this.pathOf(digest);
    if (!(await this.has(digest))) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomUUID()}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    }
    return { digest, size: bytes.byteLength, mediaType };
  }

  putJson(value: unknown, mediaType: string): Promise<ArtifactRef> {
    return this.put(Buffer.from(JSON.stringify(value)), mediaType);
  }

  async get(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(digest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactNotFoundError(digest, this.location);
      throw error;
    }
  }

  async getJson<T extends z.ZodType>(digest: string, schema: T): Promise<z.output<T>> {
    const bytes = await this.get(digest);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new ArtifactCorruptError(digest, `not JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ArtifactCorruptError(digest, describeZodError(parsed.error));
    return parsed.data;
  }

  async has(digest: string): Promise<boolean> {
    try {
      await stat(this.pathOf(digest));
      return true;
    } catch {
      return false;
    }
  }

  async assertWritable(): Promise<void> {
    await mkdir(this.location, { recursive: true });
    const probe = join(this.location, `.probe-${randomUUID()}`);
    await writeFile(probe, '');
    await unlink(probe);
  }

  private pathOf(digest: string): string {
    if (!SHA256_DIGEST.test(digest)) throw new Error(`invalid artifact digest "${digest}": expected sha256:<64 hex>`);
    const hex = digest.slice('sha256:'.length);
    return join(this.location, 'sha256', hex.slice(0, 2), hex);
  }
}
