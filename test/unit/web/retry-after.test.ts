import { describe, expect, it, vi } from 'vitest';

vi.stubEnv('TZ', 'UTC');
const { ApiError } = await import('../../../web/src/lib/api');
const { whenToRetry, withRetryTime } = await import('../../../web/src/lib/retry-after');

const now = Date.UTC(2026, 10, 30, 9, 17, 40);
const at = (hh: number, mm: number) =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 30, hh, mm)));

describe('when a throttled request may be tried again', () => {
  it('says minutes, rounded up, and the time on the clock', () => {
    expect(whenToRetry(14 * 60 + 5, now)).toBe(`in 15 minutes (at ${at(9, 31)})`);
    expect(whenToRetry(60, now)).toBe(`in 1 minute (at ${at(9, 18)})`);
  });

  it('says seconds under a minute', () => {
    expect(whenToRetry(1, now)).toBe(`in 1 second (at ${at(9, 17)})`);
    expect(whenToRetry(42, now)).toMatch(/^in 42 seconds/);
  });

  it("rewrites a 429's message and leaves every other error as it is", () => {
    const locked = new ApiError(429, 'too_many_attempts', 'Too many failed sign-ins; try again later', [], 900);
    expect(withRetryTime(locked, 'Too many failed sign-ins.', now)!.message).toBe(`Too many failed sign-ins. Try again in 15 minutes (at ${at(9, 32)}).`);
    const wrong = new ApiError(401, 'invalid_credentials', 'Email or password is wrong');
    expect(withRetryTime(wrong, 'x', now)).toBe(wrong);
    expect(withRetryTime(null, 'x', now)).toBeNull();
  });
});
