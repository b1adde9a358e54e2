import type { z } from 'zod';

/** One line naming every failing field by its path, e.g. `pipeline.model.spec.epochs: Too small: expected number to be >=1`. */
export function describeZodError(error: z.ZodError, pathPrefix: readonly (string | number)[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...pathPrefix, ...issue.path].map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
