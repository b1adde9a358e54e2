import { describeZodError } from '@slipway/contracts';
import type { z } from 'zod';
import { RequestValidationError } from './request-validation.error';

/** Parses untrusted input against a contract schema, naming every bad field under `where` (e.g. "body"). */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RequestValidationError(`invalid ${where}: ${describeZodError(parsed.error, [where])}`);
  return parsed.data;
}
