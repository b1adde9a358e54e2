/**
 * Tail probabilities for the two goodness-of-fit tests drift detection runs. Numerical Recipes' formulations
 * (Press et al., 3rd ed., §6.2 and §6.14), written out here to avoid a statistics dependency for two functions.
 */

/** Kolmogorov distribution: P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. */
export function kolmogorovSurvival(lambda: number): number {
  // The alternating series converges too slowly below ~0.2, where the probability is 1 to double precision anyway.
  if (lambda < 0.2) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) return clampProbability(2 * sum);
    sign = -sign;
  }
  return clampProbability(2 * sum);
}

/**
 * p-value of a one-sample Kolmogorov–Smirnov statistic D over n observations, with Stephens' small-sample
 * correction λ = (√n + 0.12 + 0.11/√n)·D.
 */
export function ksPValue(d: number, n: number): number {
  if (n <= 0) return 1;
  const root = Math.sqrt(n);
  return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
}

/** P(χ²_df > x): the regularized upper incomplete gamma function Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (df <= 0) throw new RangeError(`chi-square degrees of freedom must be positive, got ${df}`);
  if (x <= 0) return 1;
  return regularizedUpperGamma(df / 2, x / 2);
}

function regularizedUpperGamma(a: number, x: number): number {
  return x < a + 1 ? clampProbability(1 - lowerGammaSeries(a, x)) : clampProbability(upperGammaContinuedFraction(a, x));
}

function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 1_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Lentz's method for the continued fraction of Q(a, x). */
function upperGammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-05,
  4.652362892704858e-05, -9.837447530487956e-05, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-05, -2.6190838401581408e-05,
  3.6899182659531625e-06,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, about 15 significant digits). */
export function logGamma(x: number): number {
  let y = x;
  const tmp = x + 5.2421875;
  const shifted = (x + 0.5) * Math.log(tmp) - tmp;
  let series = 0.9999999999999971;
  for (const coefficient of LANCZOS) series += coefficient / ++y;
  return shifted + Math.log((2.5066282746310007 * series) / x);
}

function clampProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}
