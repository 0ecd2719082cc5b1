/**
 * A logistic model over named features: the one shape of every fitted
 * decision of the answerer (which unit answers, whether to answer at all).
 * Weights live in a JSON data file (answer-model.json) that
 * `npm run fit:answers` refits; this module only applies and fits them.
 */
export type FeatureVector = Readonly<Record<string, number>>;

export interface LogisticModel {
  features: readonly string[];
  weights: readonly number[];
  bias: number;
  /** Probability at or above which the decision is "yes" (answer / relevant). */
  threshold: number;
}

export function logit(model: LogisticModel, f: FeatureVector): number {
  let z = model.bias;
  model.features.forEach((name, i) => { z += model.weights[i]! * (f[name] ?? 0); });
  return z;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export const probability = (model: LogisticModel, f: FeatureVector): number => sigmoid(logit(model, f));

export interface Sample { features: FeatureVector; label: 0 | 1; weight?: number }

/**
 * Fits weights by full-batch gradient descent with L2 regularisation
 * (deterministic: same samples, same weights). Positive samples are
 * re-weighted so both classes weigh the same, since a question has one or two
 * answering units among dozens.
 */
export function fitLogistic(features: readonly string[], samples: readonly Sample[], opts: { l2?: number; iterations?: number; rate?: number; balance?: boolean } = {}): Omit<LogisticModel, 'threshold'> {
  const l2 = opts.l2 ?? 0.01;
  const iterations = opts.iterations ?? 3000;
  const rate = opts.rate ?? 0.5;
  const pos = samples.filter((s) => s.label === 1).length;
  const neg = samples.length - pos;
  const classWeight = (label: 0 | 1): number => (opts.balance === false || !pos || !neg ? 1 : label === 1 ? samples.length / (2 * pos) : samples.length / (2 * neg));
  const x = samples.map((s) => features.map((n) => s.features[n] ?? 0));
  const w = features.map(() => 0);
  let b = 0;
  const totalWeight = samples.reduce((t, s) => t + (s.weight ?? 1) * classWeight(s.label), 0) || 1;
  for (let it = 0; it < iterations; it++) {
    const gw = features.map(() => 0);
    let gb = 0;
    samples.forEach((s, i) => {
      const row = x[i]!;
      let z = b;
      for (let j = 0; j < row.length; j++) z += w[j]! * row[j]!;
      const err = (sigmoid(z) - s.label) * (s.weight ?? 1) * classWeight(s.label);
      for (let j = 0; j < row.length; j++) gw[j]! += err * row[j]!;
      gb += err;
    });
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - rate * (gw[j]! / totalWeight + l2 * w[j]!);
    b -= rate * (gb / totalWeight);
  }
  return { features: [...features], weights: w.map((v) => Number(v.toFixed(4))), bias: Number(b.toFixed(4)) };
}

/** The units of one question, some of them right: the unit ranker learns to put a right one first. */
export interface RankingGroup { rows: ReadonlyArray<{ features: FeatureVector; right: boolean }> }

/**
 * Listwise fit (conditional logit): for each question, a softmax over its
 * units, maximising the probability mass on the right ones. Ranking is all
 * the ranker is for, so it learns from comparisons within a question rather
 * than from how many wrong units a question happens to have.
 */
export function fitRanking(features: readonly string[], groups: readonly RankingGroup[], opts: { l2?: number; iterations?: number; rate?: number } = {}): Omit<LogisticModel, 'threshold'> {
  const l2 = opts.l2 ?? 0.001;
  const iterations = opts.iterations ?? 1500;
  const rate = opts.rate ?? 0.5;
  const data = groups.filter((g) => g.rows.some((r) => r.right) && g.rows.some((r) => !r.right))
    .map((g) => g.rows.map((r) => ({ x: features.map((n) => r.features[n] ?? 0), right: r.right })));
  const w = features.map(() => 0);
  for (let it = 0; it < iterations; it++) {
    const grad = features.map(() => 0);
    for (const rows of data) {
      const z = rows.map((r) => r.x.reduce((s, v, j) => s + v * w[j]!, 0));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const all = e.reduce((a, b) => a + b, 0);
      const good = e.reduce((a, v, i) => a + (rows[i]!.right ? v : 0), 0);
      rows.forEach((r, i) => {
        // d(-log good/all)/dz_i = p_i - (right ? e_i/good : 0)
        const g = e[i]! / all - (r.right ? e[i]! / good : 0);
        for (let j = 0; j < grad.length; j++) grad[j]! += g * r.x[j]!;
      });
    }
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - rate * (grad[j]! / Math.max(1, data.length) + l2 * w[j]!);
  }
  return { features: [...features], weights: w.map((v) => Number(v.toFixed(4))), bias: 0 };
}
