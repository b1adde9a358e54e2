import { canonicalJson } from './content-digest';

describe('canonicalJson', () => {
  it('sorts object keys at every level, keeps array order and drops undefined fields', () => {
    const a = canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } });
    const b = canonicalJson({ a: { d: [3, { x: 2, y: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual({ a: { d: [3, { x: 2, y: 1 }] }, b: 1 });
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
