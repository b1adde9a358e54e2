/** Shares below this count as this, so an empty bin on either side gives a large but finite PSI. */
export const PSI_SHARE_FLOOR = 1e-4;

/**
 * Population stability index Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) between an expected (training) and an actual (live)
 * distribution over the same bins, each given as shares or counts (normalised here).
 */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new RangeError(`PSI needs the same bins on both sides, got ${expected.length} and ${actual.length}`);
  const e = toShares(expected);
  const a = toShares(actual);
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i] ?? 0, PSI_SHARE_FLOOR);
    const ai = Math.max(a[i] ?? 0, PSI_SHARE_FLOOR);
    psi += (ai - ei) * Math.log(ai / ei);
  }
  return psi;
}

function toShares(values: readonly number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return total > 0 ? values.map((value) => value / total) : values.map(() => 0);
}
