// When a failed webhook delivery is tried again, and when it is given up:
// exponential backoff with full jitter (a random wait between 0 and the
// ceiling; aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/),
// so receivers coming back from an outage are not hit by every sender at
// once. The ceiling doubles from 30 s up to 12 h, which is also the longest
// delay a Cloudflare queue message can carry, so each retry is one delayed
// message. A delivery is tried until three days after it was made (about
// 20 attempts; Svix's schedule spans a little over a day, Stripe's three
// days), then it is failed and can be redelivered by hand.

export const FIRST_CEILING_SECONDS = 30;
export const MAX_DELAY_SECONDS = 12 * 3600;
export const GIVE_UP_AFTER_MS = 3 * 86_400_000;
// A retry never comes sooner than this, whatever the draw.
const MIN_DELAY_SECONDS = 5;

export function retryCeilingSeconds(failedAttempts: number): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  return Math.min(FIRST_CEILING_SECONDS * 2 ** exponent, MAX_DELAY_SECONDS);
}

// `random` is in [0, 1), as Math.random gives.
export function retryDelaySeconds(failedAttempts: number, random: number): number {
  const ceiling = retryCeilingSeconds(failedAttempts);
  return Math.max(MIN_DELAY_SECONDS, Math.floor(random * ceiling));
}

// The next attempt's time, or null when the delivery is to be given up.
export function nextAttemptAt(input: { createdAt: number; failedAttempts: number; now: number; random: number }): number | null {
  const at = input.now + retryDelaySeconds(input.failedAttempts, input.random) * 1000;
  return at - input.createdAt > GIVE_UP_AFTER_MS ? null : at;
}

// A subscription whose every attempt has failed for this long is turned
// off. Measured in time rather than in a count of failures (Svix's rule is
// five days): a count would disable a busy endpoint within minutes of an
// outage and a quiet one never; five days is longer than a delivery's own
// schedule, so it takes new events failing too, not one stuck delivery.
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;

// Of what a receiver answers, only a 2xx is a success. A 3xx is not
// followed (it could lead anywhere, inside our network too): it fails. A
// 410 Gone says the endpoint is gone for good: the subscription is off at once.
export type AttemptOutcome = { status: number } | { error: string };
export const succeeded = (outcome: AttemptOutcome) => 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
export const isGone = (outcome: AttemptOutcome) => 'status' in outcome && outcome.status === 410;
