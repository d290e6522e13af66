/**
 * A small seeded pseudo-random generator (sfc32) and an integer hash, so that `steward demo seed` produces the same
 * rows for the same seed on every machine and Node version. Math.random cannot be seeded, and a cryptographic
 * generator would be needlessly slow for tens of millions of draws.
 */

/** One murmur3-style mixing round of `value` into `h`. */
function round(h: number, value: number): number {
  let x = Math.imul(h ^ (value >>> 0), 0x01000193);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Mixes two or three integers into one well-spread unsigned 32-bit value (fixed arity: this runs per row). */
export function mix32(a: number, b: number, c?: number): number {
  const h = round(round(0x811c9dc5, a), b);
  return c === undefined ? h : round(h, c);
}

/** A stable 32-bit number for a name, used to give each table its own random stream. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mix32(h, 0);
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * sfc32: four 32-bit words of state, passes PractRand to 2^40 bytes, and is a handful of integer operations per draw.
 *
 * @example
 *   const rng = new Prng(42, hashName("users"));
 *   rng.int(6); // 0..5, the same on every run with seed 42
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed, 0x9e3779b9);
    this.b = mix32(stream, 0x7f4a7c15);
    this.c = mix32(seed, stream, 0x632be5ab);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** An unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi], both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)] as T;
  }

  /** An index drawn with the given cumulative weights (as built by `cumulative`). */
  weighted(cdf: Float64Array): number {
    const x = this.float();
    let i = 0;
    while (i < cdf.length - 1 && x >= (cdf[i] as number)) i++;
    return i;
  }

  /** `length` lower-case hex digits. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) {
      const x = this.next();
      out += HEX_PAIRS[x >>> 24]! + HEX_PAIRS[(x >>> 16) & 255]! + HEX_PAIRS[(x >>> 8) & 255]! + HEX_PAIRS[x & 255]!;
    }
    return out.length === length ? out : out.slice(0, length);
  }
}

/** Turns weights (any positive numbers) into the cumulative form `Prng.weighted` draws from. */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const cdf = new Float64Array(weights.length);
  let running = 0;
  weights.forEach((w, i) => {
    running += w;
    cdf[i] = running / total;
  });
  return cdf;
}
