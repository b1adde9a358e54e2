import { randomBytes } from 'node:crypto';

/** Run ids end up inside BullMQ job ids, which must not contain ':' — hence this narrow alphabet. */
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/;

/**
 * `run-<yyyymmdd>-<hhmmssSSS>-<random>`: fixed-width UTC time first, so ids sort by creation time,
 * then 40 random bits against collisions within the same millisecond.
 */
export function newRunId(now: Date): string {
  const [date, time] = now.toISOString().replace(/[-:.Z]/g, '').split('T');
  const random = randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0');
  return `run-${date}-${time}-${random}`;
}
