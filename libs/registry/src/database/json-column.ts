import type { z } from 'zod';
import { describeZodError } from '@slipway/contracts';
import { CorruptRecordError } from './corrupt-record.error';

export function toJsonColumn(value: unknown): string {
  return JSON.stringify(value);
}

/** Parses a TEXT column through its contract schema, so a bad row fails loudly where it is read. */
export function readJsonColumn<S extends z.ZodType>(schema: S, text: string, location: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CorruptRecordError(location, error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new CorruptRecordError(location, describeZodError(parsed.error));
  return parsed.data;
}
