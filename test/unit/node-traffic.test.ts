import { describe, expect, it } from 'vitest';
import { createTraffic } from '../../functions/node/traffic';

// The Node host's gate for background work (functions/node/traffic.ts),
// on a hand-driven clock and hand-fired timers.
function harness(options: { quietMs: number; maxDeferralMs: number }) {
  let clock = 1_000;
  const timers: { ms: number; fire: () => void; cancelled: boolean }[] = [];
  const traffic = createTraffic({
    ...options,
    now: () => clock,
    timer: (ms, fire) => {
      const timer = { ms, fire, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  });
  const request = () => {
    let answer = () => {};
    const answered = traffic.track(() => new Promise<void>((resolve) => (answer = resolve)))();
    return { answered, answer: () => answer() };
  };
  const live = () => timers.filter((t) => !t.cancelled);
  return { traffic, request, live, advance: (ms: number) => (clock += ms) };
}

const settled = async <T>(promise: Promise<T>) => {
  const marker = Symbol('pending');
  const result = await Promise.race([promise, new Promise<typeof marker>((resolve) => setImmediate(() => setImmediate(() => setImmediate(() => resolve(marker)))))]);
  return result === marker ? 'pending' : result;
};

describe('traffic gate', () => {
  it('is quiet at once when no request has been seen', async () => {
    const { traffic } = harness({ quietMs: 5, maxDeferralMs: 100 });
    expect(await traffic.quiet()).toBe(true);
  });

  it('waits for the request in flight, then for quietMs after it, then lets the work through', async () => {
    const h = harness({ quietMs: 5, maxDeferralMs: 100 });
    const request = h.request();
    const quiet = h.traffic.quiet();
    expect(await settled(quiet)).toBe('pending');

    h.advance(2);
    request.answer();
    await request.answered;
    expect(await settled(quiet)).toBe('pending');
    const check = h.live().find((t) => t.ms === 5)!;
    h.advance(5);
    check.fire();
    expect(await quiet).toBe(true);
  });

  it('a request that starts during the quiet interval keeps the work waiting', async () => {
    const h = harness({ quietMs: 5, maxDeferralMs: 100 });
    const first = h.request();
    const quiet = h.traffic.quiet();
    await settled(quiet);
    first.answer();
    await first.answered;
    h.request();
    expect(h.live().filter((t) => t.ms === 5)).toEqual([]);
    expect(await settled(quiet)).toBe('pending');
  });

  it('gives up waiting after maxDeferralMs, so traffic that never pauses cannot starve the work', async () => {
    const h = harness({ quietMs: 5, maxDeferralMs: 100 });
    h.request();
    const quiet = h.traffic.quiet();
    await settled(quiet);
    h.live().find((t) => t.ms === 100)!.fire();
    expect(await quiet).toBe(false);
  });

  it('counts a request that fails as answered', async () => {
    const h = harness({ quietMs: 0, maxDeferralMs: 100 });
    await expect(h.traffic.track(() => Promise.reject(new Error('boom')))()).rejects.toThrow('boom');
    expect(await h.traffic.quiet()).toBe(true);
  });
});
