import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { ApiKeyScope } from '../../domain/permissions';
import { newApiKey, sha256 } from '../../domain/tokens';
import type { AuthCache } from '../auth/cache';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import { notFound } from '../errors';
import { auditWhere } from '../conditional-writes';
import { auditEntry } from '../records';

function toView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: isoTime(row.createdAt)!,
    lastUsedAt: isoTime(row.lastUsedAt),
    revokedAt: isoTime(row.revokedAt),
  };
}

export async function listApiKeys(scope: Scope) {
  const rows = await scope.ws.select(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toView);
}

// The key itself is returned once, here; only its hash is kept.
export async function createApiKey(scope: Scope, input: { name: string; scope: ApiKeyScope }) {
  const { key, prefix } = newApiKey();
  const row = {
    id: newId('apiKey', scope.now),
    name: input.name,
    prefix,
    keyHash: await sha256(key),
    scope: input.scope,
    createdBy: scope.actor.actorId,
    createdAt: scope.now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await scope.ws.batch([scope.ws.insert(apiKeys, row), auditEntry(scope, 'create', 'api-key', row.id, { scope: row.scope })]);
  return { ...toView({ ...row, workspaceId: scope.ws.workspaceId }), key };
}

// The audit row and the revocation are gated on the key still being live,
// so of concurrent revokes one wins and the rest find nothing to revoke.
export async function revokeApiKey(scope: Scope, cache: AuthCache, id: string) {
  const live = and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt));
  const [, revoked] = await scope.db.batch([
    auditWhere(scope, scope.ws.exists(apiKeys, live), { action: 'revoke', entityType: 'api-key', entityId: id }),
    scope.db.update(apiKeys).set({ revokedAt: scope.now }).where(scope.ws.scope(apiKeys, live)).returning({ id: apiKeys.id }),
  ]);
  if (revoked.length === 0) throw notFound('API key');
  cache.forget({ apiKeyId: id });
}
