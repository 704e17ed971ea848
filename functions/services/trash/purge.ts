import type { ResultSet } from '@libsql/client';
import { and, eq, exists, inArray, isNotNull, isNull, lt, not, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { unionAll } from 'drizzle-orm/sqlite-core';
import { activities, auditLog, companies, contacts, contactTouches, orderLines, orders, productAffinities, products, segmentChanges, segmentMembers, segments } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { contactSearchText } from '../../domain/records';
import type { Scope } from '../scope';

// The nightly purge of the trash, in passes whose cost does not grow with
// the number of records: one read for up to PURGE_CHUNK ids, then one batch
// (a single round trip and transaction) of set-based statements that write
// the audit rows and delete the timeline and the records. A person's purge
// (services/contacts, services/companies) does the same for one record.
//
// Every write re-checks, inside the batch, that its record is still in the
// trash and past the cut-off, so a pass that races a restore, an edit or a
// second run of itself leaves the record alone and writes no audit row for
// it: running twice, or twice at once, purges and audits each record once.

export const PURGE_CHUNK = 100;
// People of a purged company lose the link and its name in their search
// text, at most this many per pass: a company with thousands of people is
// unlinked over several passes and purged by the one that finds none left.
export const UNLINK_CHUNK = 100;
// A pass's round trips at most: one read per kind of record until one has
// expired trash (contacts, companies, products, orders, segments), then
// the batch; companies take one more read, for their linked people.
export const ROUND_TRIPS_PER_PASS = 6;

export type PassResult = { purged: number; unlinked: number; done: boolean };

type Trashable = typeof contacts | typeof companies | typeof products | typeof orders | typeof segments;

const expired = (table: Trashable, cutoff: number) => and(isNotNull(table.deletedAt), lt(table.deletedAt, cutoff));

// Oldest deletions first, read through the (workspace, deleted_at) index.
async function expiredIds(scope: Scope, table: Trashable, cutoff: number): Promise<string[]> {
  const rows = await scope.db
    .select({ id: table.id })
    .from(table)
    .where(scope.ws.scope(table, expired(table, cutoff)))
    .orderBy(table.deletedAt)
    .limit(PURGE_CHUNK);
  return rows.map((row) => row.id);
}

// One audit row per record the batch purges, each with its own id: the
// CASE hands out ids made here, and the row is written only for a record
// the same statement still finds purgeable.
function auditPurges(scope: Scope, table: Trashable, entityType: string, ids: string[], purgeable: SQL) {
  const auditId = sql<string>`case ${table.id} ${sql.join(
    ids.map((id) => sql`when ${id} then ${newId('audit', scope.now)}`),
    sql` `,
  )} end`;
  return scope.db.insert(auditLog).select(
    scope.db
      .select({
        id: auditId.as('id'),
        workspaceId: table.workspaceId,
        actorId: sql<string>`${scope.actor.actorId}`.as('actor_id'),
        action: sql<string>`'purge'`.as('action'),
        entityType: sql<string>`${entityType}`.as('entity_type'),
        entityId: table.id,
        changes: sql<null>`null`.as('changes'),
        at: sql<number>`${scope.now}`.as('at'),
      })
      .from(table)
      .where(purgeable),
  );
}

// drizzle types a batch as a non-empty tuple; ours are built as lists of
// writes, each answering with a ResultSet.
async function runBatch(scope: Scope, statements: BatchItem<'sqlite'>[]): Promise<ResultSet[]> {
  return (await scope.ws.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])) as ResultSet[];
}

const changed = (results: ResultSet[]) => results.reduce((sum, result) => sum + result.rowsAffected, 0);

async function purgeContacts(scope: Scope, ids: string[], cutoff: number): Promise<number> {
  const purgeable = scope.ws.scope(contacts, and(inArray(contacts.id, ids), expired(contacts, cutoff)));
  const results = await runBatch(scope, [
    auditPurges(scope, contacts, 'contact', ids, purgeable),
    scope.ws.delete(activities, inArray(activities.contactId, scope.db.select({ id: contacts.id }).from(contacts).where(purgeable))),
    scope.ws.delete(contactTouches, inArray(contactTouches.contactId, scope.db.select({ id: contacts.id }).from(contacts).where(purgeable))),
    scope.ws.delete(contacts, purgeable),
  ]);
  return changed(results.slice(-1));
}

// Live and trashed people are read apart, each through its own partial
// index (contacts_ws_company, contacts_ws_deleted); one condition over both
// would scan the workspace's contacts.
const PEOPLE = [isNull(contacts.deletedAt), isNotNull(contacts.deletedAt)];

async function purgeCompanies(scope: Scope, ids: string[], cutoff: number): Promise<{ purged: number; unlinked: number }> {
  const columns = {
    id: contacts.id,
    companyId: contacts.companyId,
    updatedAt: contacts.updatedAt,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    emails: contacts.emails,
    phones: contacts.phones,
  };
  const [live, trashed] = PEOPLE.map((state) =>
    scope.db.select(columns).from(contacts).where(scope.ws.scope(contacts, and(inArray(contacts.companyId, ids), state))),
  );
  const linked = await unionAll(live!, trashed!).limit(UNLINK_CHUNK);

  const stillExpired = inArray(
    contacts.companyId,
    scope.db.select({ id: companies.id }).from(companies).where(scope.ws.scope(companies, and(inArray(companies.id, ids), expired(companies, cutoff)))),
  );
  // An edit since the read (updated_at moved) wins: that person keeps the
  // link this pass, which keeps the company until a later pass.
  const unlinks = linked.map((person) =>
    scope.ws.update(
      contacts,
      { companyId: null, searchText: contactSearchText({ ...person, companyName: null }) },
      and(eq(contacts.id, person.id), eq(contacts.updatedAt, person.updatedAt), eq(contacts.companyId, person.companyId!), stillExpired) as SQL,
    ),
  );
  if (linked.length === UNLINK_CHUNK) return { purged: 0, unlinked: changed(await runBatch(scope, unlinks)) };

  const nobodyLinked = PEOPLE.map((state) =>
    not(exists(scope.db.select({ one: sql`1` }).from(contacts).where(scope.ws.scope(contacts, and(eq(contacts.companyId, companies.id), state))))),
  );
  const purgeable = scope.ws.scope(companies, and(inArray(companies.id, ids), expired(companies, cutoff), ...nobodyLinked));
  const results = await runBatch(scope, [
    ...unlinks,
    auditPurges(scope, companies, 'company', ids, purgeable),
    scope.ws.delete(activities, inArray(activities.companyId, scope.db.select({ id: companies.id }).from(companies).where(purgeable))),
    scope.ws.delete(companies, purgeable),
  ]);
  return { purged: changed(results.slice(-1)), unlinked: changed(results.slice(0, unlinks.length)) };
}

// Records whose purge touches nothing that must be re-read first: what
// hangs off them goes (or loses its link) in the purge's own batch, as a
// person's purge of one of them does (services/products, orders).
type Simple = { table: typeof products | typeof orders | typeof segments; type: string; dependents: (scope: Scope, gone: SQL) => BatchItem<'sqlite'>[] };

const SIMPLE: Simple[] = [
  {
    table: products,
    type: 'product',
    dependents: (scope, gone) => [
      scope.ws.update(orderLines, { productId: null }, inArray(orderLines.productId, gone)),
      scope.ws.delete(productAffinities, sql`(${inArray(productAffinities.productId, gone)} or ${inArray(productAffinities.otherProductId, gone)})`),
    ],
  },
  { table: orders, type: 'order', dependents: (scope, gone) => [scope.ws.delete(orderLines, inArray(orderLines.orderId, gone))] },
  {
    table: segments,
    type: 'segment',
    dependents: (scope, gone) => [scope.ws.delete(segmentMembers, inArray(segmentMembers.segmentId, gone)), scope.ws.delete(segmentChanges, inArray(segmentChanges.segmentId, gone))],
  },
];

async function purgeSimple(scope: Scope, kind: Simple, ids: string[], cutoff: number): Promise<number> {
  const { table } = kind;
  const purgeable = scope.ws.scope(table, and(inArray(table.id, ids), expired(table, cutoff)));
  const gone = sql`(select ${table.id} from ${table} where ${purgeable})`;
  const results = await runBatch(scope, [auditPurges(scope, table, kind.type, ids, purgeable), ...kind.dependents(scope, gone), scope.ws.delete(table, purgeable)]);
  return changed(results.slice(-1));
}

// One pass over a workspace's expired trash: contacts first, whose purge
// also clears them from their companies, then companies, then the rest.
export async function purgePass(scope: Scope, cutoff: number): Promise<PassResult> {
  const contactIds = await expiredIds(scope, contacts, cutoff);
  if (contactIds.length > 0) return { purged: await purgeContacts(scope, contactIds, cutoff), unlinked: 0, done: false };
  const companyIds = await expiredIds(scope, companies, cutoff);
  if (companyIds.length > 0) return { ...(await purgeCompanies(scope, companyIds, cutoff)), done: false };
  for (const kind of SIMPLE) {
    const ids = await expiredIds(scope, kind.table, cutoff);
    if (ids.length > 0) return { purged: await purgeSimple(scope, kind, ids, cutoff), unlinked: 0, done: false };
  }
  return { purged: 0, unlinked: 0, done: true };
}
