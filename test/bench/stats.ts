// Percentiles over exact samples (milliseconds, float), nearest-rank.
export type Summary = { n: number; mean: number; p50: number; p90: number; p99: number; max: number };

export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, mean: sum / n, p50: at(50), p90: at(90), p99: at(99), max: sorted[n - 1]! };
}

export const ms = (v: number, digits = 2) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// How fast this machine's CPU is right now: the milliseconds a fixed loop
// of integer arithmetic takes. On a shared virtual machine it varies
// (630 to 1,550 ms over one morning here), and every figure a run
// measures moves with it; a run's report says what it was.
export function spinMs(iterations = 300_000_000): number {
  const started = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += i % 7;
  if (sum < 0) throw new Error('unreachable');
  return elapsedMs(started);
}
