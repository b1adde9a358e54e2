import type { DATE_PARTS } from '@slipway/contracts';

export type DatePart = (typeof DATE_PARTS)[number];

/** How a date must be spelled, for error messages. */
export const DATE_SPELLING = 'a date such as 2007-11-11 or 2007/11/11, optionally with a time (2007-11-11T09:30:00Z)';

// Year-month-day with "-" or "/" (the same both times), then optionally a time and a zone. Strict on purpose, so
// that neither plain numbers nor a year alone look like dates: inferring a column as dates needs every value to match.
const ISO_LIKE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DAY_MS = 86_400_000;

/**
 * The instant an ISO-like date spells, in ms since the epoch, or undefined when the text is not one or names a day
 * that does not exist (2023-02-30). A date or time without a zone is read as UTC, so every host reads it alike.
 */
export function parseIsoLikeDate(text: string): number | undefined {
  const match = ISO_LIKE.exec(text);
  if (!match) return undefined;
  const [, year, , month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = match.map((group) => group ?? undefined);
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const instant = new Date(0);
  instant.setUTCFullYear(y, mo - 1, d);
  instant.setUTCHours(h, mi, s, Math.floor(Number(`0.${fraction}`) * 1000));
  return instant.getTime() - zoneOffsetMinutes(zone) * 60_000;
}

/** The parts of an instant's calendar date in UTC: month 1–12, day of week 0 (Sunday)–6, day of year 1–366. */
export function dateParts(epochMs: number): Record<DatePart, number> {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  const startOfYear = new Date(0);
  startOfYear.setUTCFullYear(year, 0, 1);
  return { year, month: date.getUTCMonth() + 1, dayOfWeek: date.getUTCDay(), dayOfYear: Math.floor((epochMs - startOfYear.getTime()) / DAY_MS) + 1 };
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
