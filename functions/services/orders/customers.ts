import { sql, type SQL } from 'drizzle-orm';
import { auditLog, contactEmails, contacts } from '../../../db/schema';
import { newIds } from '../../domain/ids';
import { contactSearchText, sortKey } from '../../domain/records';
import type { Scope } from '../scope';

export type CustomerInput = { email: string; firstName?: string; lastName?: string };

// The contacts that bought, by email: each address found (ignoring case)
// among the workspace's live contacts, or else a new contact made for it,
// as a shop's guest checkout expects. Addresses are looked up in
// contact_emails (kept by triggers, migration 0020) by index, and the new
// customers of a whole batch are one INSERT.

// The live contact an address belongs to, as SQL: the oldest one when
// several share it. `address` must be lower-cased already.
// The address is looked up in contact_emails by its key, and only then is
// the contact checked live: a join lets the planner walk every contact.
export const customerOf = (scope: Scope, address: SQL) =>
  sql`(select ${contactEmails.contactId} from ${contactEmails}
    where ${contactEmails.workspaceId} = ${scope.ws.workspaceId} and ${contactEmails.address} = ${address}
      and exists (select 1 from ${contacts} where ${contacts.id} = ${contactEmails.contactId} and ${contacts.deletedAt} is null)
    order by ${contactEmails.contactId} limit 1)`;

export async function findCustomers(scope: Scope, addresses: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!addresses.length) return found;
  const rows = await scope.db.all<{ address: string; id: string }>(
    sql`select ${contactEmails.address} as "address", ${contactEmails.contactId} as "id"
      from ${contactEmails}
      where ${scope.ws.scope(contactEmails, sql`${contactEmails.address} in (select value from json_each(${JSON.stringify(addresses)}))`)}
        and exists (select 1 from ${contacts} where ${contacts.id} = ${contactEmails.contactId} and ${contacts.deletedAt} is null)
      order by ${contactEmails.contactId}`,
  );
  for (const row of rows) if (!found.has(row.address)) found.set(row.address, row.id);
  return found;
}

export type NewCustomer = { id: string; address: string; firstName?: string; lastName?: string };

// New customers as one statement, written only if `gate` holds and for
// each address only if no live contact has it by then (another request
// may have made one meanwhile).
export function insertCustomers(scope: Scope, customers: NewCustomer[], gate: SQL, ownerId: string | null) {
  const values = customers.map(({ id, address, firstName = '', lastName = '' }) => {
    const emails = [{ address }];
    return {
      id,
      address,
      firstName,
      lastName,
      emails: JSON.stringify(emails),
      sortName: sortKey(firstName, lastName) || sortKey(address),
      searchText: contactSearchText({ firstName, lastName, emails, phones: [] }),
    };
  });
  const m = (key: string) => sql`j.value ->> ${`$.${key}`}`;
  return scope.db.run(sql`insert into ${contacts} (id, workspace_id, first_name, last_name, sort_name, emails, phones, owner_id, lifecycle_stage,
      tags, email_consent, soft_data, custom_fields, search_text, created_at, updated_at)
    select ${m('id')}, ${scope.ws.workspaceId}, ${m('firstName')}, ${m('lastName')}, ${m('sortName')}, ${m('emails')}, '[]', ${ownerId}, 'customer',
      '[]', 'unknown', '{}', '{}', ${m('searchText')}, ${scope.now}, ${scope.now}
    from json_each(${JSON.stringify(values)}) as j
    where ${gate} and ${customerOf(scope, m('address'))} is null`);
}

export async function customersByEmail(scope: Scope, customers: CustomerInput[]): Promise<Map<string, string>> {
  const wanted = new Map<string, CustomerInput>();
  for (const customer of customers) wanted.set(customer.email.toLowerCase(), customer);
  const found = await findCustomers(scope, [...wanted.keys()]);
  const missing = [...wanted].filter(([address]) => !found.has(address));
  if (!missing.length) return found;
  const ids = newIds('contact', missing.length, scope.now);
  const auditIds = newIds('audit', missing.length, scope.now);
  const made = missing.map(([address, c], i) => ({ id: ids[i]!, address, firstName: c.firstName, lastName: c.lastName }));
  const audits = made.map((c, i) => ({ id: auditIds[i], contactId: c.id }));
  // An audit row per contact actually made, as createContact writes one.
  await scope.ws.batch([
    insertCustomers(scope, made, sql`1`, scope.actor.userId),
    scope.db.run(sql`insert into ${auditLog} (id, workspace_id, actor_id, action, entity_type, entity_id, changes, at)
      select j.value ->> '$.id', ${scope.ws.workspaceId}, ${scope.actor.actorId}, 'create', 'contact', c.id, null, ${scope.now}
      from json_each(${JSON.stringify(audits)}) as j join ${contacts} as c on c.id = j.value ->> '$.contactId' and c.workspace_id = ${scope.ws.workspaceId}`),
  ]);
  const again = await findCustomers(scope, missing.map(([address]) => address));
  for (const [address, id] of again) found.set(address, id);
  return found;
}
