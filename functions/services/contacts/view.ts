import { inArray } from 'drizzle-orm';
import { companies, type contacts } from '../../../db/schema';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import type { ContactView } from '../../schemas/contacts';

type Row = typeof contacts.$inferSelect;

export function toView(row: Row, companyName: string | null): ContactView {
  const { seq: _seq, workspaceId: _ws, sortName: _sort, searchText: _search, ...rest } = row;
  return {
    ...rest,
    companyName,
    emailConsentAt: isoTime(row.emailConsentAt),
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
    deletedAt: isoTime(row.deletedAt),
  };
}

// Company names for a page of contacts in one query, not one per row.
export async function toViews(scope: Scope, rows: Row[]): Promise<ContactView[]> {
  const ids = [...new Set(rows.map((r) => r.companyId).filter((id): id is string => !!id))];
  const names = new Map<string, string>();
  if (ids.length) {
    const rows = await scope.db
      .select({ id: companies.id, name: companies.name })
      .from(companies)
      .where(scope.ws.scope(companies, inArray(companies.id, ids)));
    for (const c of rows) names.set(c.id, c.name);
  }
  return rows.map((r) => toView(r, r.companyId ? (names.get(r.companyId) ?? null) : null));
}
