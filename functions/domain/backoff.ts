// Exponential backoff for retried queue messages: 10 s, 20 s, 40 s … capped
// at an hour. Cloudflare Queues applies one fixed retry_delay per queue; a
// consumer that wants backoff passes its own delay to message.retry(), as
// Cloudflare's docs show, and both hosts honour it.
const BASE_SECONDS = 10;
const MAX_SECONDS = 3600;

export function backoffSeconds(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 20));
  return Math.min(BASE_SECONDS * 2 ** exponent, MAX_SECONDS);
}
