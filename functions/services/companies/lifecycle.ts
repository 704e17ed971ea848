import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { activities, companies } from '../../../db/schema';
import type { CompanyView } from '../../schemas/companies';
import { conflict, notFound } from '../errors';
import type { JsonText } from '../json-views';
import { changedMeanwhile, writeRecord } from '../records';
import type { Scope } from '../scope';
import { companyJsonOf } from './view';
import { renameInSearchText } from './write';

export async function deleteCompany(scope: Scope, id: string) {
  const live = and(eq(companies.id, id), isNull(companies.deletedAt));
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(companies, live),
    audit: { action: 'delete', entityType: 'company', entityId: id },
    write: (receipt) => [scope.ws.update(companies, { deletedAt: scope.now, updatedAt: scope.now }, and(live, receipt)!)],
  });
  if (!written) throw notFound('Company');
}

export async function restoreCompany(scope: Scope, id: string): Promise<JsonText<CompanyView>> {
  const trashed = and(eq(companies.id, id), isNotNull(companies.deletedAt));
  const { written, answer } = await writeRecord<{ json: JsonText<CompanyView> | null; found: number }>(scope, {
    when: scope.ws.exists(companies, trashed),
    audit: { action: 'restore', entityType: 'company', entityId: id },
    write: (receipt) => [scope.ws.update(companies, { deletedAt: null, updatedAt: scope.now }, and(trashed, receipt)!)],
    answer: scope.db.all(sql`select ${companyJsonOf(scope, id)} as "json", ${scope.ws.exists(companies, eq(companies.id, id))} as "found"`),
  });
  if (!written) throw answer?.found ? conflict('The company is not deleted') : notFound('Company');
  return answer!.json!;
}

// Purging a company keeps its people: they lose the link, not their
// records, and their search text loses the company's name. The name is read
// first (the search text holds it lower-cased, which only JS does right);
// the purge is held back if the company was renamed since.
export async function purgeCompany(scope: Scope, id: string) {
  const [stored] = await scope.ws.select(companies, eq(companies.id, id));
  if (!stored) throw notFound('Company');
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(companies, and(eq(companies.id, id), eq(companies.name, stored.name))),
    audit: { action: 'purge', entityType: 'company', entityId: id },
    write: (receipt) => [
      scope.ws.delete(activities, and(eq(activities.companyId, id), receipt)!),
      renameInSearchText(scope, id, stored.name, null, receipt),
      scope.ws.delete(companies, and(eq(companies.id, id), receipt)!),
    ],
  });
  if (!written) throw changedMeanwhile('company');
}
