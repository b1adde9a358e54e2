import { dateParts, parseIsoLikeDate } from './iso-like-date';

const utc = (text: string) => new Date(text).getTime();

describe('parseIsoLikeDate', () => {
  it('reads dates with dashes or slashes as UTC midnight', () => {
    expect(parseIsoLikeDate('2007-11-11')).toBe(utc('2007-11-11T00:00:00Z'));
    expect(parseIsoLikeDate('2012/01/01')).toBe(utc('2012-01-01T00:00:00Z'));
    expect(parseIsoLikeDate('2012/1/5')).toBe(utc('2012-01-05T00:00:00Z'));
  });

  it('reads times, fractions and zones; a time without a zone is UTC', () => {
    expect(parseIsoLikeDate('2007-11-11T09:30')).toBe(utc('2007-11-11T09:30:00Z'));
    expect(parseIsoLikeDate('2007-11-11 09:30:15.250')).toBe(utc('2007-11-11T09:30:15.250Z'));
    expect(parseIsoLikeDate('2007-11-11T23:00:00-05:00')).toBe(utc('2007-11-12T04:00:00Z'));
    expect(parseIsoLikeDate('2007-11-11T01:00:00+0130')).toBe(utc('2007-11-10T23:30:00Z'));
  });

  it('refuses numbers, years alone, mixed separators, other spellings and days that do not exist', () => {
    for (const text of ['2007', '20071111', '1.5', '2007-11', '2007-11/11', '11/11/2007', 'Nov 11 2007', '2023-02-29', '2024-13-01', '2007-11-11T24:00', '']) {
      expect([text, parseIsoLikeDate(text)]).toEqual([text, undefined]);
    }
    expect(parseIsoLikeDate('2024-02-29')).toBe(utc('2024-02-29T00:00:00Z'));
  });
});

describe('dateParts', () => {
  it('gives year, month, day of week (Sunday 0) and day of year in UTC', () => {
    const instant = utc('2012-03-01T23:30:00Z'); // a Thursday, day 61 of a leap year
    expect(dateParts(instant)).toEqual({ year: 2012, month: 3, dayOfWeek: 4, dayOfYear: 61 });
    expect(dateParts(utc('2007-01-01T00:00:00Z')).dayOfYear).toBe(1);
    expect(dateParts(utc('2007-12-31T12:00:00Z')).dayOfYear).toBe(365);
  });
});
