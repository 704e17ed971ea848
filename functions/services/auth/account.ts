import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { sessions, users } from '../../../db/schema';
import type { CommonPasswords } from '../../domain/password-rule';
import { hashPassword, verifyPassword } from '../../domain/passwords';
import { throttleKeys } from '../../domain/throttle';
import { AppError, unauthorized } from '../errors';
import type { AuthCache } from './cache';
import { refuseWeakPassword } from './password-policy';
import { countAttempt, forgiveAttempt, refuseOverLimit } from './throttle';

type Ctx = { db: Db; now: number; commonPasswords: () => Promise<CommonPasswords> };

// One statement. The name is the person's in every workspace they belong to.
export async function renameAccount(db: Db, userId: string, name: string) {
  const [user] = await db.update(users).set({ name }).where(eq(users.id, userId)).returning({ id: users.id, email: users.email, name: users.name });
  if (!user) throw unauthorized('Sign in first');
  return user;
}

// The current password proves it is the person and not someone at their
// open session; wrong guesses are throttled like sign-ins (per person and
// per network). Two statements: the attempt counted with the account read,
// then the new hash with every OTHER session of the person deleted, in all
// their workspaces: whoever else held one (a lost phone, a shared computer)
// is signed out, and this browser stays signed in.
export async function changePassword(
  { db, now, commonPasswords }: Ctx,
  cache: AuthCache,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string; clientAddress: string },
): Promise<{ signedOut: number }> {
  const keys = throttleKeys('password-change', input.userId, input.clientAddress);
  const account = db.select({ email: users.email, name: users.name, passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  const [counts, [user]] = await db.batch([countAttempt(db, keys, now), account]);
  refuseOverLimit('password-change', keys, counts, now);
  if (!user) throw unauthorized('Sign in first');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    const message = 'This is not your current password';
    throw new AppError(403, 'wrong_password', message, [{ path: 'currentPassword', message }]);
  }
  // The person proved who they are: a refused new password is no failed
  // guess, so its attempt is taken back before saying why.
  try {
    if (input.newPassword === input.currentPassword) {
      const message = 'The new password is the one you have now: choose another';
      throw new AppError(422, 'same_password', message, [{ path: 'newPassword', message }]);
    }
    await refuseWeakPassword(commonPasswords, input.newPassword, [user.name, user.email], 'newPassword');
  } catch (error) {
    await db.batch(forgiveAttempt(db, keys));
    throw error;
  }
  const [, , , gone] = await db.batch([
    ...forgiveAttempt(db, keys),
    db.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, input.userId)),
    db
      .delete(sessions)
      .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.sessionId)))
      .returning({ id: sessions.id }),
  ]);
  // Here at once; other instances within the auth cache's bound.
  cache.forget({ userId: input.userId });
  return { signedOut: gone.length };
}
