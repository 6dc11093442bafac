/**
 * A small seeded pseudo-random generator (mulberry32) with the distributions
 * the generator, the splitter and the models need. `Math.random` cannot be
 * seeded, and reproducibility (same seed, byte-identical output) is a
 * requirement everywhere in this project.
 *
 * @module
 */

/** A seeded source of random numbers. */
export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Gamma(shape, 1) (Marsaglia-Tsang). */
  gamma(shape: number): number;
  /** Exponential with the given rate. */
  exponential(rate: number): number;
  /** Poisson with the given mean (Knuth for small means, normal approximation above 50). */
  poisson(mean: number): number;
  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
}

/**
 * Creates a seeded generator.
 *
 * @example
 * ```ts
 * const a = createRandom(42).next();
 * const b = createRandom(42).next();
 * a === b; // true
 * ```
 */
export function createRandom(seed: number): Random {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 50) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    }
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    gamma,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    poisson,
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
  };
}
