// The statistics the console's experiment table rests on: a two-proportion z-test and a sample-ratio check.

/** Standard normal CDF, by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7: ample for a p-value shown to 3 places). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface Proportion {
  /** Visitors exposed. */
  n: number;
  /** Of those, visitors who converted. */
  x: number;
}

export interface Comparison {
  /** Conversion rates of the control and the variant. */
  control: number;
  variant: number;
  /** variant − control, in absolute rate (0.03 = three percentage points). */
  difference: number;
  /** 95 % confidence interval of the difference (Wald, unpooled standard error). */
  low: number;
  high: number;
  /** z statistic with the pooled standard error (the null hypothesis: both rates equal). */
  z: number;
  /** Two-sided p-value; null when either group is empty or nobody (or everybody) converted. */
  p: number | null;
}

const Z95 = 1.959964;

/** Two-proportion z-test of `variant` against `control` (R: prop.test(correct = FALSE)). */
export function compareProportions(control: Proportion, variant: Proportion): Comparison {
  const p1 = control.n > 0 ? control.x / control.n : 0;
  const p2 = variant.n > 0 ? variant.x / variant.n : 0;
  const difference = p2 - p1;
  if (control.n === 0 || variant.n === 0) {
    return { control: p1, variant: p2, difference, low: Number.NaN, high: Number.NaN, z: 0, p: null };
  }
  const se = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / variant.n);
  const pooled = (control.x + variant.x) / (control.n + variant.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / variant.n));
  const z = sePooled > 0 ? difference / sePooled : 0;
  return {
    control: p1,
    variant: p2,
    difference,
    low: difference - Z95 * se,
    high: difference + Z95 * se,
    z,
    p: sePooled > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : null,
  };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0] ?? 0;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(s, x) (Numerical Recipes: series below s + 1, continued fraction above). */
function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + s * Math.log(x) - lnGamma(s));
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 500 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (s + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  let b = x + 1 - s;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * h;
}

/** P(X ≥ chi2) for a chi-square distribution with `df` degrees of freedom. */
export function chiSquareSurvival(chi2: number, df: number): number {
  return Math.min(1, Math.max(0, gammaQ(df / 2, chi2 / 2)));
}

/** Below this p-value the split is called a sample ratio mismatch (the usual threshold: such a split is broken). */
export const SRM_THRESHOLD = 0.001;

export interface SampleRatio {
  chi2: number;
  p: number;
  mismatch: boolean;
  /** Each variant's share of exposures expected from the weights. */
  expected: number[];
}

/** Chi-square goodness of fit of the exposures per variant against the configured weights. */
export function sampleRatio(observed: readonly number[], weights: readonly number[]): SampleRatio | null {
  const total = observed.reduce((a, b) => a + b, 0);
  const weight = weights.reduce((a, b) => a + b, 0);
  if (observed.length < 2 || observed.length !== weights.length || total === 0 || weight <= 0) return null;
  const expected = weights.map((w) => w / weight);
  let chi2 = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = total * (expected[i] ?? 0);
    // A variant weighted 0 that still got traffic is a mismatch by itself.
    if (e === 0) {
      if ((observed[i] ?? 0) > 0) return { chi2: Number.POSITIVE_INFINITY, p: 0, mismatch: true, expected };
      continue;
    }
    chi2 += ((observed[i] ?? 0) - e) ** 2 / e;
  }
  const p = chiSquareSurvival(chi2, observed.length - 1);
  return { chi2, p, mismatch: p < SRM_THRESHOLD, expected };
}
