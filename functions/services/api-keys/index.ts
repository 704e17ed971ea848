import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { ApiKeyScope } from '../../domain/permissions';
import { newApiKey, sha256 } from '../../domain/tokens';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import { notFound } from '../errors';
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

export async function revokeApiKey(scope: Scope, id: string) {
  const [row] = await scope.ws.select(apiKeys, and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  if (!row) throw notFound('API key');
  await scope.ws.batch([
    scope.ws.update(apiKeys, { revokedAt: scope.now }, eq(apiKeys.id, id)),
    auditEntry(scope, 'revoke', 'api-key', id),
  ]);
}
