import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { idempotencyKeys } from '../../db/schema';
import { AppError } from '../services/errors';
import type { Scope } from '../services/scope';
import type { AppEnv } from './env';

// Idempotency-Key on creates (IETF draft "The Idempotency-Key HTTP Header
// Field", as Stripe and Adyen answer it): a retry with the key and the same
// request gets the first answer again, replayed, and makes nothing new; the
// key with another request is a client error (422); while the first is still
// running, a second waits its turn (409). Only successful answers are kept,
// so a request refused for its content can be corrected and sent again
// with the same key. A claim still unanswered after CLAIM_ABANDONED_MS was
// left by a process that died mid-request (a handler that throws gives
// its key back): the same request may then take it over, rather than be
// refused until the key is forgotten a day later.

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const CLAIM_ABANDONED_MS = 60_000;

export const idempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
    .optional()
    .openapi({ description: 'Any unique value (a UUID): sending the request again with it returns the first answer instead of creating twice. Kept for at least 24 hours.' }),
});

async function fingerprintOf(method: string, path: string, body: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${method} ${path}\n${body}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const idempotent = createMiddleware<AppEnv & { Variables: { scope: Scope } }>(async (c, next) => {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return next();
  const scope = c.get('scope');
  const fingerprint = await fingerprintOf(c.req.method, c.req.path, await c.req.text());
  const mine = and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.fingerprint, fingerprint), sql`${idempotencyKeys.status} is null`)!;
  const [claim, [row]] = await scope.ws.batch([
    scope.db
      .insert(idempotencyKeys)
      .values({ workspaceId: scope.ws.workspaceId, key, fingerprint, status: null, body: null, createdAt: scope.now })
      .onConflictDoUpdate({
        target: [idempotencyKeys.workspaceId, idempotencyKeys.key],
        set: { createdAt: scope.now },
        setWhere: and(mine, sql`${idempotencyKeys.createdAt} < ${scope.now - CLAIM_ABANDONED_MS}`),
      }),
    scope.db.select().from(idempotencyKeys).where(scope.ws.scope(idempotencyKeys, eq(idempotencyKeys.key, key))),
  ]);
  if (claim.rowsAffected === 0) {
    if (!row || row.fingerprint !== fingerprint) {
      throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for another request; use a new key');
    }
    if (row.status === null) throw new AppError(409, 'idempotency_key_in_use', 'A request with this Idempotency-Key is still running; retry shortly');
    return c.body(row.body ?? '', row.status as 201, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
  }
  await next();
  if (c.res.status >= 200 && c.res.status < 300) {
    await scope.ws.update(idempotencyKeys, { status: c.res.status, body: await c.res.clone().text() }, mine);
  } else {
    await scope.ws.delete(idempotencyKeys, mine);
  }
});
