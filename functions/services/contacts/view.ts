import { and, eq, getTableColumns, isNull, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import { isoTime } from '../../domain/time';
import type { ContactView } from '../../schemas/contacts';
import type { Scope } from '../scope';

// What a contact is shown with: its columns (less the search text, which
// only the index reads) and its company's name, in one statement. The join
// stays inside the workspace and ignores companies in the trash.
const { searchText: _search, workspaceId: _ws, ...shown } = getTableColumns(contacts);
const viewColumns = { ...shown, companyName: companies.name };

export function selectContactViews(scope: Scope, where: SQL | undefined) {
  return scope.db
    .select(viewColumns)
    .from(contacts)
    .leftJoin(
      companies,
      and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId), isNull(companies.deletedAt)),
    )
    .where(scope.ws.scope(contacts, where))
    .$dynamic();
}

export type ContactViewRow = Awaited<ReturnType<typeof selectContactViews>>[number];

export function toView(row: ContactViewRow): ContactView {
  const { seq: _seq, sortName: _sort, ...rest } = row;
  return {
    ...rest,
    emailConsentAt: isoTime(row.emailConsentAt),
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
    deletedAt: isoTime(row.deletedAt),
  };
}
