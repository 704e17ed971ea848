import type { ResultSet } from '@libsql/client';
import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { auditLog, companies, customFieldDefinitions, memberships } from '../../db/schema';
import { validateCustomFields, type CustomFieldDefinition, type CustomFieldEntity } from '../domain/custom-fields';
import { newId } from '../domain/ids';
import type { CustomFieldValues } from '../domain/records';
import { auditWhere, type Audit } from './conditional-writes';
import type { Scope } from './scope';
import { conflict, invalid } from './errors';
import { insertedIds, nudge, outboxInsert, type OutboxSource } from './webhooks/outbox';

// What the writes of contacts, companies, activities and custom fields share:
// the audit trail, the one-batch write and the checks of what a record
// points at.

// An audit row for a batch the caller builds itself.
export function auditEntry(
  scope: Scope,
  action: string,
  entityType: string,
  entityId: string,
  changes?: Record<string, unknown>,
) {
  return scope.ws.insert(auditLog, {
    id: newId('audit', scope.now),
    actorId: scope.actor.actorId,
    action,
    entityType,
    entityId,
    changes: changes ?? null,
    at: scope.now,
  });
}

// A write of one record is one batch, so one round trip to libSQL (each is
// an HTTP request from a Worker), and one transaction. Its audit row comes
// first, inserted only if `when` holds as the batch runs: what the write
// depends on (the row it changes still there, the references it checks
// still valid). The write and whatever follows it are gated on that row, the
// write's receipt, so the write happens exactly when its audit row does,
// however requests race. (Gating on the audit row rather than on changes()
// after the write keeps the batch correct on any libSQL server: the test
// server's read-only probe resets changes() between statements.) The answer
// is read last, whether or not the write happened, so that a refused write
// can be answered as its check would have been. The events the write
// makes (`emit`, gated on the receipt too) join the outbound webhook
// outbox in the same batch (services/webhooks/outbox.ts).
export async function writeRecord<Answer>(
  scope: Scope,
  step: {
    when: SQL | undefined;
    audit: Audit;
    write: (receipt: SQL) => BatchItem<'sqlite'>[];
    emit?: (receipt: SQL) => OutboxSource[];
    answer?: BatchItem<'sqlite'>;
  },
): Promise<{ written: boolean; answer: Answer | undefined }> {
  const auditId = newId('audit', scope.now);
  const audit = auditWhere(scope, step.when, { ...step.audit, id: auditId });
  const receipt = sql`exists (select 1 from ${auditLog} where ${auditLog.id} = ${auditId})`;
  const writes = step.write(receipt);
  const outbox = (step.emit?.(receipt) ?? []).map((source) => outboxInsert(scope, source));
  const results = (await scope.ws.batch([audit, ...writes, ...outbox, ...(step.answer ? [step.answer] : [])])) as unknown[];
  const answer = step.answer ? (results[results.length - 1] as Answer[])[0] : undefined;
  const deliveries = results.slice(1 + writes.length, 1 + writes.length + outbox.length).flatMap(insertedIds);
  await nudge(scope.queues, scope.ws.workspaceId, deliveries);
  return { written: (results[0] as ResultSet).rowsAffected > 0, answer };
}

// The audit row's `changes` for an edit of one record, in the format the
// record timeline reads (and bulk edits write too, adding a bulkId):
// `fields` are the keys the edit sets; `from` and `to` the old and new
// values of those the timeline shows (`shown`: each field's column, as
// JSON). `from` is read by the audit insert itself, which runs first in the
// write's batch: the row as the write finds it, however requests race.
export function fieldChanges(
  input: Record<string, unknown>,
  shown: Record<string, SQLWrapper>,
  row: { from: SQL; where: SQL },
): SQL {
  const sent = Object.keys(definedOnly(input));
  const keys = sent.filter((key) => Object.hasOwn(shown, key));
  const to = Object.fromEntries(keys.map((key) => [key, input[key]]));
  const from = keys.length
    ? sql`(select json_object(${sql.join(
        keys.map((key) => sql`${key}, ${shown[key]!}`),
        sql`, `,
      )}) from ${row.from} where ${row.where})`
    : sql`json_object()`;
  return sql`json_object('fields', json(${JSON.stringify(sent)}), 'from', ${from}, 'to', json(${JSON.stringify(to)}))`;
}

// The fields a partial update sends (undefined means "leave as it is").
export function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// A write whose checks passed when read but that was held back when it
// ran: what it was computed from changed in between.
export const changedMeanwhile = (what: string) =>
  conflict(`The ${what} changed while this request ran; load it again and retry`);

// The other records a contact or company points at. A reference is checked
// only when it is set or changed by the write: a link the record already has
// stays as it is, also to a company in the trash or an owner who left.
export type References = {
  ownerId?: string | null;
  company?: { id: string | null; linking: boolean };
  customFields?: { entity: CustomFieldEntity; values: CustomFieldValues };
};

// What the checks need, as columns of one select: whether the owner is a
// member, the company's name and whether it is live, and the definitions
// the custom values are checked against. `companyId` may be a column of the
// row being edited (a kept link).
export function referenceColumns(scope: Scope, refs: References, companyId?: SQL | string | null): SQL {
  const { ownerId, customFields } = refs;
  const target = companyId === undefined ? refs.company?.id : companyId;
  const ownerIsMember = ownerId ? scope.ws.exists(memberships, eq(memberships.userId, ownerId)) : sql`1`;
  const company = target
    ? sql`(select json_object('name', ${companies.name}, 'live', ${companies.deletedAt} is null) from ${companies} where ${scope.ws.scope(companies, eq(companies.id, target))})`
    : sql`null`;
  const definition = sql`json_object('key', ${customFieldDefinitions.key}, 'label', ${customFieldDefinitions.label}, 'type', ${customFieldDefinitions.type}, 'options', json(${customFieldDefinitions.options}))`;
  const definitions = customFields
    ? sql`(select json_group_array(${definition}) from ${customFieldDefinitions} where ${scope.ws.scope(customFieldDefinitions, eq(customFieldDefinitions.entity, customFields.entity))})`
    : sql`'[]'`;
  return sql`${ownerIsMember} as "ownerIsMember", ${company} as "company", ${definitions} as "definitions"`;
}

export type ReferenceState = { ownerIsMember: number; company: string | null; definitions: string };

// For a new record: the references alone, one statement.
export async function readReferences(scope: Scope, refs: References): Promise<ReferenceState> {
  const [state] = await scope.db.all<ReferenceState>(sql`select ${referenceColumns(scope, refs)}`);
  return state!;
}

// Custom values worth checking: an empty object sets nothing.
export const someValues = (values: CustomFieldValues | undefined) => (values && Object.keys(values).length ? values : undefined);

// Throws the 422 that names the first reference or value that fails; gives
// the company's name, which contacts are found by.
export function checkReferences(state: ReferenceState, refs: References): { companyName: string | null } {
  if (refs.ownerId && !state.ownerIsMember) {
    throw invalid('The owner must be a member of this workspace', [{ path: 'ownerId', message: 'not a member' }]);
  }
  const company = state.company ? (JSON.parse(state.company) as { name: string; live: number }) : null;
  if (refs.company?.linking && refs.company.id && !company?.live) {
    throw invalid('No such company in this workspace', [{ path: 'companyId', message: 'not found' }]);
  }
  if (refs.customFields) {
    const definitions = JSON.parse(state.definitions) as CustomFieldDefinition[];
    const problems = validateCustomFields(definitions, refs.customFields.values);
    if (problems.length) {
      throw invalid(
        'Some custom fields are not valid',
        problems.map((p) => ({ path: `customFields.${p.key}`, message: p.message })),
      );
    }
  }
  return { companyName: company?.name ?? null };
}

// The same checks as the condition a write waits on (writeRecord's `when`),
// so that a reference that goes away between the read and the write holds
// the write back. The company's name is part of it: contacts' search text
// carries it. Custom field definitions are not guarded: values outlive a
// definition's removal or a renamed option by design, so one changed
// meanwhile breaks nothing.
export function referenceGuards(scope: Scope, refs: References, companyName: string | null): SQL | undefined {
  const { ownerId, company } = refs;
  return and(
    ownerId ? scope.ws.exists(memberships, eq(memberships.userId, ownerId)) : undefined,
    company?.id && companyName !== null
      ? scope.ws.exists(
          companies,
          and(eq(companies.id, company.id), eq(companies.name, companyName), company.linking ? isNull(companies.deletedAt) : undefined),
        )
      : undefined,
  );
}
