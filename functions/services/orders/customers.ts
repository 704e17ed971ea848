import { and, isNull, sql } from 'drizzle-orm';
import { contacts } from '../../../db/schema';
import type { Scope } from '../scope';
import { createContact } from '../contacts';

export type CustomerInput = { email: string; firstName?: string; lastName?: string };

// The contacts that bought, by email: each address found (ignoring case)
// among the workspace's live contacts, or else a new contact made for it,
// as a shop's guest checkout expects. One read for the whole batch: the
// trigram index narrows to contacts whose search text holds any of the
// addresses, then their emails are compared whole.
export async function customersByEmail(scope: Scope, customers: CustomerInput[]): Promise<Map<string, string>> {
  const wanted = new Map<string, CustomerInput>();
  for (const customer of customers) wanted.set(customer.email.toLowerCase(), customer);
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  const addresses = [...wanted.keys()];
  const match = addresses.map((a) => `"${a.replace(/"/g, '""')}"`).join(' OR ');
  const rows = await scope.db.all<{ id: string; address: string }>(sql`
    select ${contacts.id} as "id", lower(json_extract(e.value, '$.address')) as "address"
    from ${contacts}, json_each(${contacts.emails}) as e
    where ${scope.ws.scope(
      contacts,
      and(
        isNull(contacts.deletedAt),
        sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${match})`,
        sql`lower(json_extract(e.value, '$.address')) in (select value from json_each(${JSON.stringify(addresses)}))`,
      ),
    )}
    order by ${contacts.id}`);
  // The oldest contact with an address is its customer, whatever else shares it.
  for (const row of rows) if (!found.has(row.address)) found.set(row.address, row.id);
  for (const [address, customer] of wanted) {
    if (found.has(address)) continue;
    const created = JSON.parse(
      await createContact(scope, {
        emails: [{ address }],
        firstName: customer.firstName,
        lastName: customer.lastName,
        lifecycleStage: 'customer',
      }),
    ) as { id: string };
    found.set(address, created.id);
  }
  return found;
}
