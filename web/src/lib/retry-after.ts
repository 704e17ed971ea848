import { ApiError } from './api';

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

// "in 14 minutes (at 09:32)": when a throttled request may be tried again,
// from the server's Retry-After, rounded up so that trying at the time
// said works.
export function whenToRetry(seconds: number, now = Date.now()): string {
  const at = clock.format(new Date(now + seconds * 1000));
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'} (at ${at})`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${at})`;
}

/** The error to show, with a lockout's message saying when to try again. */
export function withRetryTime(error: ApiError | null, what: string, now = Date.now()): ApiError | null {
  if (!error || error.status !== 429 || !error.retryAfter) return error;
  return new ApiError(429, error.code, `${what} Try again ${whenToRetry(error.retryAfter, now)}.`, [], error.retryAfter);
}
