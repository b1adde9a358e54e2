import { categoricalDrift } from './categorical-drift';

const repeat = (value: string, times: number) => Array.from({ length: times }, () => value);

describe('categoricalDrift', () => {
  const training = { red: 500, green: 300, blue: 200 };

  it('finds no drift when the live shares equal the training shares', () => {
    const drift = categoricalDrift(training, [...repeat('red', 250), ...repeat('green', 150), ...repeat('blue', 100)]);
    expect(drift.psi).toBeCloseTo(0, 3);
    expect(drift.chiSquarePValue).toBeGreaterThan(0.9);
    expect(drift.degreesOfFreedom).toBe(3);
    expect(drift.rows).toBe(500);
  });

  it('finds a changed mix', () => {
    const drift = categoricalDrift(training, [...repeat('red', 100), ...repeat('green', 150), ...repeat('blue', 250)]);
    expect(drift.psi).toBeGreaterThan(0.2);
    expect(drift.chiSquarePValue).toBeLessThan(1e-6);
  });

  it('counts categories training never saw as drift', () => {
    const stable = categoricalDrift(training, [...repeat('red', 250), ...repeat('green', 150), ...repeat('blue', 100)]);
    const withNew = categoricalDrift(training, [...repeat('red', 200), ...repeat('green', 120), ...repeat('blue', 80), ...repeat('purple', 100)]);
    expect(withNew.psi).toBeGreaterThan(stable.psi + 0.5);
    expect(withNew.chiSquarePValue).toBeLessThan(1e-6);
  });
});
