import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { signInFailures } from '../../../db/schema';
import { isOverLimit, LIMITS, retryAfterSeconds, THROTTLE, throttleKeys, type AttemptCount, type ThrottledAction } from '../../domain/throttle';
import { AppError } from '../errors';

export type AttemptKeys = ReturnType<typeof throttleKeys>;

// Counts this attempt against both keys and returns the counts, in one
// statement, so that attempts arriving together cannot all read a count
// under the limit before any of them writes. A key whose window has ended
// starts a new one with this attempt.
export function countAttempt(db: Db, keys: AttemptKeys, now: number) {
  const expired = sql`${now} - ${signInFailures.windowStart} >= ${THROTTLE.windowMs}`;
  return db
    .insert(signInFailures)
    .values([keys.email, keys.address].map((key) => ({ key, count: 1, windowStart: now })))
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        count: sql`case when ${expired} then 1 else ${signInFailures.count} + 1 end`,
        windowStart: sql`case when ${expired} then ${now} else ${signInFailures.windowStart} end`,
      },
    })
    .returning();
}

const WHAT: Record<ThrottledAction, string> = {
  'sign-in': 'failed sign-ins',
  'sign-up': 'sign-ups',
  'password-change': 'wrong current passwords',
};

// Refused before any password is hashed.
export function refuseOverLimit(action: ThrottledAction, keys: AttemptKeys, counts: (AttemptCount & { key: string })[], now: number) {
  const limits = { [keys.email]: LIMITS[action].email, [keys.address]: LIMITS[action].address };
  const over = counts.filter((entry) => isOverLimit(entry, limits[entry.key]!));
  if (over.length === 0) return;
  const retryAfter = Math.max(...over.map((entry) => retryAfterSeconds(entry, now)));
  throw new AppError(429, 'too_many_attempts', `Too many ${WHAT[action]}; try again later`, { retryAfter }, {
    'Retry-After': String(retryAfter),
  });
}

// A successful sign-in takes back its attempt: the email starts afresh and
// the network's count drops by one, so people who get their password right
// never lock their office out.
export function forgiveAttempt(db: Db, keys: AttemptKeys) {
  return [
    db.delete(signInFailures).where(eq(signInFailures.key, keys.email)),
    db
      .update(signInFailures)
      .set({ count: sql`max(${signInFailures.count} - 1, 0)` })
      .where(eq(signInFailures.key, keys.address)),
  ] as const;
}
