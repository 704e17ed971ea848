import type { Db } from '../../db/client';
import type { Principal } from '../domain/permissions';
import type { Queues } from '../jobs/queues';
import { workspaceData, type WorkspaceData } from './workspace-data';

// Who is acting, for services: audit rows, owners, authors.
export type Actor = { principal: Principal; workspaceId: string; actorId: string; userId: string | null };

// What every workspace operation receives: the tenant-scoped data layer, the
// actor and one clock reading for the whole operation.
export type Scope = {
  db: Db;
  ws: WorkspaceData;
  actor: Actor;
  now: number;
  // Where writes nudge the outbound webhook sender (services/webhooks/
  // outbox.ts); without it their deliveries wait for the cron's sweep.
  queues?: Queues;
};

export function principalId(p: Principal): string {
  return p.kind === 'user' ? p.userId : p.kind === 'apiKey' ? p.keyId : 'system';
}

export function requestScope(db: Db, workspaceId: string, principal: Principal, now: number, queues?: Queues): Scope {
  return {
    queues,
    db,
    ws: workspaceData(db, workspaceId),
    actor: { principal, workspaceId, actorId: principalId(principal), userId: principal.kind === 'user' ? principal.userId : null },
    now,
  };
}

// Jobs and crons act for a workspace as the system: still through the
// workspace-scoped data layer, with audit rows that say no person did it.
export function systemScope(db: Db, workspaceId: string, now: number, queues?: Queues): Scope {
  return requestScope(db, workspaceId, { kind: 'system' }, now, queues);
}
