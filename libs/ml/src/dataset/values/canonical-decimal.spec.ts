import seedrandom from 'seedrandom';
import { parseCanonicalDecimal } from './canonical-decimal';
import { parseDecimal } from './parse-decimal';

describe('parseCanonicalDecimal', () => {
  it('reads spellings that String(number) gives back unchanged', () => {
    for (const text of ['0', '7', '-3', '5.1', '-0.25', '0.000001', '12345678901234', '3.14159']) {
      expect([text, parseCanonicalDecimal(text)]).toEqual([text, Number(text)]);
    }
  });

  it('refuses other spellings of numbers, and what is not a number', () => {
    for (const text of ['5.0', '1.', '.5', '+1', '007', '-0', '1e3', '0.0000001', '9999999999999999', '0x1F', 'NaN', '', 'abc', '1,5']) {
      expect([text, parseCanonicalDecimal(text)]).toEqual([text, undefined]);
    }
  });

  it('never accepts a spelling that does not round-trip, and agrees with parseDecimal on the number', () => {
    const random = seedrandom('canonical');
    for (let i = 0; i < 20_000; i += 1) {
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 12 - 4);
      for (const text of [String(value), value.toFixed(Math.floor(random() * 6)), value.toPrecision(1 + Math.floor(random() * 16))]) {
        const canonical = parseCanonicalDecimal(text);
        if (canonical !== undefined) {
          expect([text, String(canonical)]).toEqual([text, text]);
          expect(canonical).toBe(parseDecimal(text));
        }
      }
    }
  });
});
