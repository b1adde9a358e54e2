import { SlidingWindow } from './sliding-window';

describe('SlidingWindow', () => {
  it('keeps the latest values, oldest first', () => {
    const window = new SlidingWindow<number>(3);
    for (const value of [1, 2]) window.push(value);
    expect(window.values()).toEqual([1, 2]);
    for (const value of [3, 4, 5]) window.push(value);
    expect(window.values()).toEqual([3, 4, 5]);
    expect(window.size).toBe(3);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SlidingWindow(0)).toThrow(RangeError);
  });
});
