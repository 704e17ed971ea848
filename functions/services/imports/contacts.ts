import { sql } from 'drizzle-orm';
import { companies, contactEmails, contacts } from '../../../db/schema';
import { contactSearchText, sortKey, type ContactEmail, type ContactPhone, type PostalAddress } from '../../domain/records';
import { contactCreate, type ContactInput } from '../../schemas/contacts';
import type { Scope } from '../scope';
import { listCell, mergeCaseBlind, type Importer } from './importer';
import { member, rowsParam } from '../sql-rows';

// Contacts from a file: matched on any of their emails (case-blind); an
// update fills the fields the row has and adds its emails, phones and tags
// to those the contact has.

const FIELDS = [
  { key: 'firstName', label: 'First name', synonyms: ['given name', 'forename', 'first'] },
  { key: 'lastName', label: 'Last name', synonyms: ['surname', 'family name', 'last'] },
  { key: 'fullName', label: 'Full name', synonyms: ['name', 'contact name', 'contact', 'person'] },
  { key: 'email', label: 'Email', synonyms: ['email address', 'e-mail', 'mail', 'primary email'] },
  { key: 'email2', label: 'Second email', synonyms: ['other email', 'secondary email', 'email 2', 'alternate email'] },
  { key: 'phone', label: 'Phone', synonyms: ['phone number', 'telephone', 'tel', 'work phone'] },
  { key: 'mobile', label: 'Mobile phone', synonyms: ['mobile', 'cell', 'cell phone', 'mobile number'] },
  { key: 'jobTitle', label: 'Job title', synonyms: ['title', 'position', 'role'] },
  { key: 'lifecycleStage', label: 'Lifecycle stage', synonyms: ['stage', 'lifecycle'] },
  { key: 'leadSource', label: 'Lead source', synonyms: ['source'] },
  { key: 'tags', label: 'Tags', synonyms: ['tag', 'labels'] },
  { key: 'emailConsent', label: 'Email consent', synonyms: ['consent', 'marketing consent', 'opt in', 'subscribed'] },
  { key: 'street', label: 'Street', synonyms: ['address', 'street address', 'address line 1'] },
  { key: 'city', label: 'City', synonyms: ['town'] },
  { key: 'region', label: 'Region', synonyms: ['state', 'province', 'county'] },
  { key: 'postalCode', label: 'Postal code', synonyms: ['zip', 'zip code', 'postcode'] },
  { key: 'country', label: 'Country', synonyms: [] },
] as const;

const CONSENT: Record<string, 'granted' | 'denied' | 'unknown'> = {
  yes: 'granted', y: 'granted', true: 'granted', '1': 'granted', granted: 'granted', subscribed: 'granted', 'opted in': 'granted',
  no: 'denied', n: 'denied', false: 'denied', '0': 'denied', denied: 'denied', unsubscribed: 'denied', 'opted out': 'denied',
  unknown: 'unknown', '': 'unknown',
};

function toInput(cells: Record<string, string>): unknown {
  let { firstName, lastName } = cells;
  if (!firstName && !lastName && cells.fullName) {
    const space = cells.fullName.lastIndexOf(' ');
    firstName = space > 0 ? cells.fullName.slice(0, space) : cells.fullName;
    lastName = space > 0 ? cells.fullName.slice(space + 1) : undefined;
  }
  const emails = [cells.email, cells.email2].filter(Boolean).map((address) => ({ address }));
  const phones = [
    ...(cells.phone ? [{ number: cells.phone }] : []),
    ...(cells.mobile ? [{ number: cells.mobile, label: 'mobile' }] : []),
  ];
  const address = Object.fromEntries((['street', 'city', 'region', 'postalCode', 'country'] as const).filter((k) => cells[k]).map((k) => [k, cells[k]]));
  const consent = cells.emailConsent?.toLowerCase();
  return {
    firstName,
    lastName,
    emails: emails.length ? emails : undefined,
    phones: phones.length ? phones : undefined,
    jobTitle: cells.jobTitle,
    lifecycleStage: cells.lifecycleStage?.toLowerCase().replace(/[\s-]+/g, '_'),
    leadSource: cells.leadSource,
    tags: listCell(cells.tags),
    emailConsent: consent === undefined ? undefined : (CONSENT[consent] ?? cells.emailConsent),
    address: Object.keys(address).length ? address : undefined,
  };
}

type Existing = {
  id: string;
  firstName: string;
  lastName: string;
  emails: string;
  phones: string;
  tags: string;
  address: string | null;
  companyName: string | null;
};

const byAddress = (list: ContactEmail[]) => new Set(list.map((e) => e.address.toLowerCase()));

function derived(row: { firstName: string; lastName: string; emails: ContactEmail[]; phones: ContactPhone[] }, companyName: string | null) {
  return {
    sortName: sortKey(row.firstName, row.lastName) || sortKey(row.emails[0]?.address),
    searchText: contactSearchText({ ...row, companyName }),
  };
}

// What Undo puts back of a contact the import updated.
const RESTORABLE = [
  'first_name', 'last_name', 'sort_name', 'emails', 'phones', 'address', 'job_title', 'lifecycle_stage', 'lead_source', 'tags',
  'email_consent', 'email_consent_at', 'search_text', 'updated_at',
] as const;

export const contactImporter: Importer<ContactInput, Existing> = {
  entity: 'contact',
  idKind: 'contact',
  fields: FIELDS,
  pathLabels: { firstName: 'First name', lastName: 'Last name', 'emails.0': 'Email', 'emails.1': 'Second email', emails: 'Email', phones: 'Phone', jobTitle: 'Job title', lifecycleStage: 'Lifecycle stage', leadSource: 'Lead source', tags: 'Tags', emailConsent: 'Email consent', address: 'Address' },
  toInput,
  schema: contactCreate,
  keysOf: (input) => (input.emails ?? []).map((e) => e.address.toLowerCase()),

  async findExisting(scope, keys) {
    if (!keys.length) return new Map();
    const rows = await scope.db.all<Existing & { key: string }>(
      sql`select ${contactEmails.address} as "key", ${contacts.id} as "id", ${contacts.firstName} as "firstName", ${contacts.lastName} as "lastName",
        ${contacts.emails} as "emails", ${contacts.phones} as "phones", ${contacts.tags} as "tags", ${contacts.address} as "address",
        (select ${companies.name} from ${companies} where ${scope.ws.scope(companies, sql`${companies.id} = ${contacts.companyId}`)}) as "companyName"
      from ${contactEmails} join ${contacts} on ${contacts.id} = ${contactEmails.contactId}
      where ${scope.ws.scope(contactEmails, sql`${contactEmails.address} in (select value from json_each(${JSON.stringify(keys)}))`)}
        and ${scope.ws.scope(contacts, sql`${contacts.deletedAt} is null`)}`,
    );
    const found = new Map<string, Existing>();
    for (const { key, ...row } of rows) if (!found.has(key)) found.set(key, row);
    return found;
  },

  createMany(scope, rows, { guard, ownerId }) {
    if (!rows.length) return [];
    const values = rows.map(({ id, input }) => {
      const base = { firstName: input.firstName ?? '', lastName: input.lastName ?? '', emails: input.emails ?? [], phones: input.phones ?? [] };
      const consent = input.emailConsent ?? 'unknown';
      return {
        id,
        ...base,
        emails: JSON.stringify(base.emails),
        phones: JSON.stringify(base.phones),
        address: input.address ? JSON.stringify(input.address) : null,
        jobTitle: input.jobTitle ?? null,
        lifecycleStage: input.lifecycleStage ?? 'lead',
        leadSource: input.leadSource ?? null,
        tags: JSON.stringify(input.tags ?? []),
        emailConsent: consent,
        emailConsentAt: consent === 'unknown' ? null : scope.now,
        ...derived(base, null),
      };
    });
    const m = member;
    return [
      scope.db.run(sql`insert into ${contacts} (id, workspace_id, first_name, last_name, sort_name, emails, phones, address, job_title,
          owner_id, lifecycle_stage, lead_source, tags, email_consent, email_consent_at, soft_data, custom_fields, search_text, created_at, updated_at)
        select ${m('id')}, ${scope.ws.workspaceId}, ${m('firstName')}, ${m('lastName')}, ${m('sortName')}, ${m('emails')}, ${m('phones')},
          ${m('address')}, ${m('jobTitle')}, ${ownerId}, ${m('lifecycleStage')}, ${m('leadSource')}, ${m('tags')}, ${m('emailConsent')},
          ${m('emailConsentAt')}, '{}', '{}', ${m('searchText')}, ${scope.now}, ${scope.now}
        from ${rowsParam(values)} as j where ${guard}`),
    ];
  },

  updateMany(scope, rows, { guard }) {
    if (!rows.length) return [];
    const values = rows.map(({ existing, input }) => {
      const hadEmails = JSON.parse(existing.emails) as ContactEmail[];
      const known = byAddress(hadEmails);
      const emails = [...hadEmails, ...(input.emails ?? []).filter((e) => !known.has(e.address.toLowerCase()))].slice(0, 20);
      const hadPhones = JSON.parse(existing.phones) as ContactPhone[];
      const numbers = new Set(hadPhones.map((p) => p.number));
      const phones = [...hadPhones, ...(input.phones ?? []).filter((p) => !numbers.has(p.number))].slice(0, 20);
      const next = { firstName: input.firstName ?? existing.firstName, lastName: input.lastName ?? existing.lastName, emails, phones };
      const address = input.address ? { ...(existing.address ? (JSON.parse(existing.address) as PostalAddress) : {}), ...input.address } : null;
      return {
        id: existing.id,
        firstName: next.firstName,
        lastName: next.lastName,
        emails: JSON.stringify(emails),
        phones: JSON.stringify(phones),
        tags: JSON.stringify(mergeCaseBlind(JSON.parse(existing.tags) as string[], input.tags, 50)),
        address: address && JSON.stringify(address),
        jobTitle: input.jobTitle ?? null,
        lifecycleStage: input.lifecycleStage ?? null,
        leadSource: input.leadSource ?? null,
        emailConsent: input.emailConsent ?? null,
        ...derived(next, existing.companyName),
      };
    });
    const m = member;
    // Consent changes are stamped with when they happened, as the
    // contacts service does (services/contacts/write.ts).
    return [
      scope.db.run(sql`update ${contacts} set first_name = ${m('firstName')}, last_name = ${m('lastName')}, sort_name = ${m('sortName')},
          emails = ${m('emails')}, phones = ${m('phones')}, tags = ${m('tags')}, address = coalesce(${m('address')}, address),
          job_title = coalesce(${m('jobTitle')}, job_title), lifecycle_stage = coalesce(${m('lifecycleStage')}, lifecycle_stage),
          lead_source = coalesce(${m('leadSource')}, lead_source),
          email_consent_at = case when ${m('emailConsent')} is null or ${m('emailConsent')} = email_consent then email_consent_at
            when ${m('emailConsent')} = 'unknown' then null else ${scope.now} end,
          email_consent = coalesce(${m('emailConsent')}, email_consent),
          search_text = ${m('searchText')}, updated_at = ${scope.now}
        from ${rowsParam(values)} as j
        where ${contacts.id} = ${m('id')} and ${scope.ws.scope(contacts, sql`${contacts.deletedAt} is null`)} and ${guard}`),
    ];
  },

  table: 'contacts',
  restorable: RESTORABLE,
};
