import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import { changedCustomValues } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import { sortKey } from '../../domain/records';
import { domainOf } from '../../domain/web';
import type { CompanyInput, CompanyView } from '../../schemas/companies';
import { notFound } from '../errors';
import { embedded, type JsonText } from '../json-views';
import {
  changedMeanwhile,
  fieldChanges,
  checkReferences,
  definedOnly,
  readReferences,
  referenceColumns,
  referenceGuards,
  someValues,
  writeRecord,
  type References,
  type ReferenceState,
} from '../records';
import type { Scope } from '../scope';
import { recordEvent } from '../webhooks/outbox';
import { companyJsonOf } from './view';

export async function createCompany(scope: Scope, input: CompanyInput & { name: string }): Promise<JsonText<CompanyView>> {
  const customFields = someValues(input.customFields);
  const refs: References = {
    ownerId: input.ownerId ?? undefined,
    customFields: customFields && { entity: 'company', values: customFields },
  };
  // Custom values are checked in JS against the definitions, read first; an
  // owner is only a guard.
  if (refs.customFields) checkReferences(await readReferences(scope, refs), refs);
  const row = {
    id: newId('company', scope.now),
    name: input.name,
    sortName: sortKey(input.name),
    domain: input.domain !== undefined ? input.domain : input.website ? domainOf(input.website) : null,
    website: input.website ?? null,
    industry: input.industry ?? null,
    employees: input.employees ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    description: input.description ?? null,
    ownerId: input.ownerId === undefined ? scope.actor.userId : input.ownerId,
    tags: input.tags ?? [],
    customFields: input.customFields ?? {},
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<CompanyView> } & ReferenceState>(scope, {
    when: referenceGuards(scope, refs, null),
    audit: { action: 'create', entityType: 'company', entityId: row.id },
    write: (receipt) => [scope.ws.insertWhere(companies, row, receipt)],
    emit: (receipt) => [recordEvent('company.created', companyJsonOf(scope, row.id), receipt)],
    answer: scope.db.all(sql`select ${companyJsonOf(scope, row.id)} as "json", ${referenceColumns(scope, refs)}`),
  });
  if (!written) {
    checkReferences(answer!, refs);
    throw changedMeanwhile('company');
  }
  return answer!.json;
}

// The stored company as an edit needs it.
type Stored = ReferenceState & { name: string; domain: string | null; website: string | null; ownerId: string | null; customFields: string };

function storedColumns(scope: Scope, input: CompanyInput): SQL {
  const refs: References = {
    ownerId: input.ownerId ?? undefined,
    customFields: input.customFields && { entity: 'company', values: input.customFields },
  };
  return sql`${companies.name} as "name", ${companies.domain} as "domain", ${companies.website} as "website", ${companies.ownerId} as "ownerId", ${companies.customFields} as "customFields", ${referenceColumns(scope, refs)}`;
}

// Contacts are found by their company's name, the last words of their
// search text (functions/domain/records.ts): renaming or purging a company
// rewrites those words for every contact linked when the batch runs, and a
// purge also unlinks them.
const searchSuffix = (name: string) => ` ${name.toLocaleLowerCase('en')}`;

export function renameInSearchText(scope: Scope, companyId: string, from: string, to: string | null, gate: SQL) {
  const old = searchSuffix(from);
  const stripped = sql`substr(${contacts.searchText}, 1, length(${contacts.searchText}) - length(${old}))`;
  const replaced = to === null ? stripped : sql`${stripped} || ${searchSuffix(to)}`;
  return scope.ws.update(
    contacts,
    {
      searchText: sql`case when substr(${contacts.searchText}, -length(${old})) = ${old} then ${replaced} else ${contacts.searchText} end`,
      ...(to === null ? { companyId: null } : {}),
    },
    and(eq(contacts.companyId, companyId), gate)!,
  );
}

// A new website brings its domain along, unless the edit sets the domain
// itself or the stored one was chosen by hand (it is not the old website's).
export function withDerivedDomain(stored: Pick<Stored, 'domain' | 'website'>, input: CompanyInput): CompanyInput {
  if (!input.website || input.domain !== undefined) return input;
  const derived = domainOf(input.website);
  const handChosen = stored.domain !== null && stored.domain !== (stored.website ? domainOf(stored.website) : null);
  return derived && !handChosen && derived !== stored.domain ? { ...input, domain: derived } : input;
}

// What an edit writes, given the company as stored: the checks of what it
// changes (throwing their 4xx), the columns to set and the guards.
function planUpdate(scope: Scope, stored: Stored, sent: CompanyInput) {
  const input = withDerivedDomain(stored, sent);
  const changedValues = input.customFields && someValues(changedCustomValues(JSON.parse(stored.customFields), input.customFields));
  const refs: References = {
    ownerId: input.ownerId !== undefined && input.ownerId !== stored.ownerId ? input.ownerId : undefined,
    customFields: changedValues && { entity: 'company', values: changedValues },
  };
  checkReferences(stored, refs);
  const renamed = input.name !== undefined && input.name !== stored.name;
  const { customFields, ...fields } = input;
  const set = {
    ...definedOnly(fields),
    ...(input.name ? { sortName: sortKey(input.name) } : {}),
    ...(customFields ? { customFields: sql`json_patch(${companies.customFields}, ${JSON.stringify(customFields)})` } : {}),
    updatedAt: scope.now,
  };
  const guards = and(referenceGuards(scope, { ownerId: refs.ownerId }, null), renamed ? eq(companies.name, stored.name) : undefined);
  return { set, guards, renamed, input };
}

// The fields a company's timeline shows a change of, as JSON values.
const SHOWN = {
  name: companies.name,
  domain: companies.domain,
  ownerId: companies.ownerId,
  tags: embedded(companies.tags),
};

export async function updateCompany(scope: Scope, id: string, input: CompanyInput): Promise<JsonText<CompanyView>> {
  const live = and(eq(companies.id, id), isNull(companies.deletedAt));
  const [stored] = await scope.db.all<Stored>(sql`select ${storedColumns(scope, input)} from ${companies} where ${scope.ws.scope(companies, live)}`);
  if (!stored) throw notFound('Company');
  const { set, guards, renamed, input: edit } = planUpdate(scope, stored, input);
  const where = and(live, guards);
  const { written, answer } = await writeRecord<Stored & { json: JsonText<CompanyView> }>(scope, {
    when: scope.ws.exists(companies, where),
    write: (receipt) => [
      scope.ws.update(companies, set, and(where, receipt)!),
      ...(renamed ? [renameInSearchText(scope, id, stored.name, input.name!, receipt)] : []),
    ],
    emit: (receipt) => [recordEvent('company.updated', companyJsonOf(scope, id), receipt)],
    audit: {
      action: 'update',
      entityType: 'company',
      entityId: id,
      changes: fieldChanges(edit, SHOWN, { from: sql`${companies}`, where: scope.ws.scope(companies, eq(companies.id, id)) }),
    },
    answer: scope.db.all(
      sql`select ${companyJsonOf(scope, id)} as "json", ${storedColumns(scope, input)} from ${companies} where ${scope.ws.scope(companies, live)}`,
    ),
  });
  if (!written) {
    if (!answer) throw notFound('Company');
    planUpdate(scope, answer, input);
    throw changedMeanwhile('company');
  }
  return answer!.json;
}
