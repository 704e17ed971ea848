// Failed sign-ins are counted per key (the email, and the client address) in
// a fixed window; past the limit further attempts are refused until the
// window ends, whether or not the password would be right.
export const THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000 } as const;

export type FailureCount = { count: number; windowStart: number };

export function isLockedOut(entry: FailureCount | undefined, now: number): boolean {
  if (!entry) return false;
  return now - entry.windowStart < THROTTLE.windowMs && entry.count >= THROTTLE.maxFailures;
}

export function retryAfterSeconds(entry: FailureCount, now: number): number {
  return Math.max(1, Math.ceil((entry.windowStart + THROTTLE.windowMs - now) / 1000));
}

export function recordFailure(entry: FailureCount | undefined, now: number): FailureCount {
  if (!entry || now - entry.windowStart >= THROTTLE.windowMs) return { count: 1, windowStart: now };
  return { count: entry.count + 1, windowStart: entry.windowStart };
}
