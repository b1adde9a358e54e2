import { z } from 'zod';
import { SHA256_DIGEST } from './artifact-ref.schema';

/** An imported model's folder in the artifact store: each file by its path in the folder and the digest of its bytes. */
export const modelFilesManifestSchema = z.object({
  files: z
    .array(
      z.object({
        path: z.string().min(1),
        digest: z.string().regex(SHA256_DIGEST),
        size: z.number().int().nonnegative(),
      }),
    )
    .min(1),
});
export type ModelFilesManifest = z.infer<typeof modelFilesManifestSchema>;
