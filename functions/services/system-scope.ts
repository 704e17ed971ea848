import type { Db } from '../../db/client';
import type { Scope } from '../routes/guard';
import { workspaceData } from './workspace-data';

// Jobs and crons act for a workspace as the system: still through the
// workspace-scoped data layer, with audit rows that say no person did it.
export function systemScope(db: Db, workspaceId: string, now: number): Scope {
  return {
    db,
    ws: workspaceData(db, workspaceId),
    actor: { principal: { kind: 'system' }, workspaceId, actorId: 'system', userId: null },
    now,
  };
}
