import { newRunId, RUN_ID_PATTERN } from './run-id';

describe('newRunId', () => {
  it('uses only characters a BullMQ job id can carry', () => {
    const id = newRunId(new Date('2025-06-01T12:34:56.789Z'));
    expect(id).toMatch(RUN_ID_PATTERN);
    expect(id).not.toContain(':');
  });

  it('embeds the UTC creation time so ids sort by it', () => {
    const times = ['2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.001Z', '2025-10-01T09:00:00.000Z'];
    const ids = times.map((t) => newRunId(new Date(t)));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[1]).toMatch(/^run-20250101-000000000-[a-z0-9]{8}$/);
  });

  it('does not repeat within one millisecond', () => {
    const now = new Date('2025-06-01T12:00:00.000Z');
    const ids = new Set(Array.from({ length: 1_000 }, () => newRunId(now)));
    expect(ids.size).toBe(1_000);
  });
});
