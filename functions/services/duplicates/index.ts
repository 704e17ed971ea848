import { and, eq, isNull, sql } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import { domainOf } from '../../domain/web';
import type { DuplicateView } from '../../schemas/duplicates';
import { jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';

// At most this many matches: enough to link to, and a workspace with more
// than a few records sharing an email has a problem a merge will solve.
const MAX = 5;
const $ = sql.placeholder;

const personName = sql`coalesce(nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), json_extract(${contacts.emails}, '$[0].address'), 'Unnamed contact')`;

// The trigram index narrows the workspace's contacts to those whose search
// text holds the address (functions/domain/records.ts puts every email in
// it), then each candidate's emails are compared whole. Emails are stored
// lower-cased (functions/schemas/common.ts), the lookup too.
const contactsByEmail = preparedReads((db, scope) =>
  db
    .select({
      json: jsonObject<DuplicateView>({ id: contacts.id, name: personName, matched: sql`${$('email')}` }),
    })
    .from(contacts)
    .where(
      scope(
        contacts,
        and(
          isNull(contacts.deletedAt),
          sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${$('match')})`,
          sql`exists (select 1 from json_each(${contacts.emails}) where lower(json_extract(json_each.value, '$.address')) = ${$('email')})`,
        ),
      ),
    )
    .orderBy(contacts.id)
    .limit(MAX),
);

export async function contactDuplicates(scope: Scope, email: string): Promise<JsonText<{ data: DuplicateView[] }>> {
  const address = email.toLowerCase();
  const rows = await scope.ws.read(contactsByEmail, undefined, { email: address, match: `"${address.replace(/"/g, '""')}"` });
  return `{"data":[${rows.map((r) => r.json).join(',')}]}`;
}

const companiesByDomain = preparedReads((db, scope) =>
  db
    .select({ json: jsonObject<DuplicateView>({ id: companies.id, name: companies.name, matched: companies.domain }) })
    .from(companies)
    .where(scope(companies, and(eq(companies.domain, $('domain')), isNull(companies.deletedAt))))
    .orderBy(companies.id)
    .limit(MAX),
);

// A website is looked up by the domain it would be given; one with no
// domain (an IP address) matches nothing.
export async function companyDuplicates(scope: Scope, query: { domain?: string; website?: string }): Promise<JsonText<{ data: DuplicateView[] }>> {
  const domain = query.domain ?? (query.website ? domainOf(query.website) : null);
  if (!domain) return '{"data":[]}';
  const rows = await scope.ws.read(companiesByDomain, undefined, { domain });
  return `{"data":[${rows.map((r) => r.json).join(',')}]}`;
}
