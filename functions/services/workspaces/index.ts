import { eq } from 'drizzle-orm';
import { workspaces } from '../../../db/schema';
import { notFound } from '../errors';
import { auditEntry } from '../records';
import type { Scope } from '../scope';

// The workspaces table is the tenant itself, so it is reached by the
// scope's own id rather than through the workspace-scoped layer.
export async function getWorkspace(scope: Scope) {
  const [row] = await scope.db.select().from(workspaces).where(eq(workspaces.id, scope.ws.workspaceId));
  if (!row) throw notFound('Workspace');
  return { id: row.id, name: row.name, createdAt: new Date(row.createdAt).toISOString() };
}

export async function renameWorkspace(scope: Scope, name: string) {
  const current = await getWorkspace(scope);
  await scope.db.batch([
    scope.db.update(workspaces).set({ name }).where(eq(workspaces.id, scope.ws.workspaceId)),
    auditEntry(scope, 'rename', 'workspace', scope.ws.workspaceId, { from: current.name, to: name }),
  ]);
  return { ...current, name };
}
