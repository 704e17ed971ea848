import { setImmediate as nextCheck } from 'node:timers/promises';

// Requests first, backlog after. On the Node host the queue consumers run
// in the processes that answer HTTP, and a statement there holds the event
// loop for its whole run: a consumer working beside live traffic takes the
// CPU from the requests and becomes their latency (an `events` message
// costs ~4 ms). So background work asks `quiet()` first, and waits while a
// request is in flight or one ended less than `quietMs` ago; a burst is
// answered first and its backlog drained after. `maxDeferralMs` bounds the
// wait, so a stream that never pauses still lets one piece of work through
// per interval instead of starving the queue.

type Timer = (ms: number, fire: () => void) => () => void;

export type TrafficOptions = {
  quietMs?: number;
  maxDeferralMs?: number;
  now?: () => number;
  // Where the waits are scheduled; tests fire them by hand.
  timer?: Timer;
};

export type Traffic = {
  // Wraps a fetch handler so each request counts as in flight until its
  // response is made.
  track<A extends unknown[], R>(handle: (...args: A) => R | Promise<R>): (...args: A) => Promise<R>;
  // Resolves true once no request has been in flight for quietMs, or false
  // when maxDeferralMs has passed first.
  quiet(): Promise<boolean>;
};

// No request for this long: the sender's next one is not already on its
// way (a client on a kept-alive connection sends its next within a
// fraction of a millisecond of an answer).
export const QUIET_MS = 5;
// Under traffic that never pauses, background work still advances once
// per this interval: at most one `events` message (~4 ms of CPU) per
// 100 ms, a few per cent of a core taken from the requests.
export const MAX_DEFERRAL_MS = 100;

const realTimer: Timer = (ms, fire) => {
  const handle = setTimeout(fire, ms);
  return () => clearTimeout(handle);
};

export function createTraffic(options: TrafficOptions = {}): Traffic {
  const { quietMs = QUIET_MS, maxDeferralMs = MAX_DEFERRAL_MS, now = Date.now, timer = realTimer } = options;
  let inFlight = 0;
  let lastSeen = Number.NEGATIVE_INFINITY;
  const waiting = new Set<(quiet: boolean) => void>();
  let cancelCheck: (() => void) | undefined;

  const isQuiet = () => inFlight === 0 && now() - lastSeen >= quietMs;
  const release = () => {
    for (const resolve of [...waiting]) resolve(true);
  };
  // Checks again when the last request will have been quietMs ago.
  const scheduleCheck = () => {
    cancelCheck?.();
    cancelCheck = undefined;
    if (inFlight > 0 || waiting.size === 0) return;
    if (isQuiet()) return release();
    cancelCheck = timer(Math.max(0, quietMs - (now() - lastSeen)), scheduleCheck);
  };

  const begin = () => {
    inFlight++;
    lastSeen = now();
    cancelCheck?.();
    cancelCheck = undefined;
  };
  const end = () => {
    inFlight--;
    lastSeen = now();
    scheduleCheck();
  };

  return {
    track: (handle) => async (...args) => {
      begin();
      try {
        return await handle(...args);
      } finally {
        end();
      }
    },
    async quiet() {
      // A request whose bytes came in while this process was busy is only
      // seen when the event loop next polls for I/O: let it poll first
      // (an immediate from any phase, then another, runs after a poll).
      await nextCheck();
      await nextCheck();
      if (isQuiet()) return true;
      return new Promise<boolean>((resolve) => {
        const cancelDeadline = timer(maxDeferralMs, () => settle(false));
        const settle = (quiet: boolean) => {
          waiting.delete(settle);
          cancelDeadline();
          resolve(quiet);
        };
        waiting.add(settle);
        scheduleCheck();
      });
    },
  };
}
