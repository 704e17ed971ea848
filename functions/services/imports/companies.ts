import { sql } from 'drizzle-orm';
import { companies } from '../../../db/schema';
import { sortKey, type PostalAddress } from '../../domain/records';
import { domainOf } from '../../domain/web';
import { companyCreate, type CompanyInput } from '../../schemas/companies';
import { listCell, mergeCaseBlind, type Importer } from './importer';
import { member, rowsParam } from '../sql-rows';

// Companies from a file: matched on their domain (given, or taken from the
// website as the companies service does); an update fills the fields the
// row has and adds its tags to those the company has.

const FIELDS = [
  { key: 'name', label: 'Name', synonyms: ['company', 'company name', 'organisation', 'organization', 'account', 'account name'] },
  { key: 'domain', label: 'Domain', synonyms: ['company domain', 'domain name'] },
  { key: 'website', label: 'Website', synonyms: ['url', 'web', 'homepage', 'site', 'web site'] },
  { key: 'industry', label: 'Industry', synonyms: ['sector'] },
  { key: 'employees', label: 'Employees', synonyms: ['number of employees', 'employee count', 'headcount', 'size'] },
  { key: 'phone', label: 'Phone', synonyms: ['phone number', 'telephone', 'tel'] },
  { key: 'description', label: 'Description', synonyms: ['about', 'notes'] },
  { key: 'tags', label: 'Tags', synonyms: ['tag', 'labels'] },
  { key: 'street', label: 'Street', synonyms: ['address', 'street address', 'address line 1'] },
  { key: 'city', label: 'City', synonyms: ['town'] },
  { key: 'region', label: 'Region', synonyms: ['state', 'province', 'county'] },
  { key: 'postalCode', label: 'Postal code', synonyms: ['zip', 'zip code', 'postcode'] },
  { key: 'country', label: 'Country', synonyms: [] },
] as const;

// "1,200" and "1 200" are 1200; anything else is left for the schema to refuse.
const count = (text: string | undefined) => {
  if (text === undefined) return undefined;
  const digits = text.replace(/[\s,.'_]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : text;
};

function toInput(cells: Record<string, string>): unknown {
  const address = Object.fromEntries((['street', 'city', 'region', 'postalCode', 'country'] as const).filter((k) => cells[k]).map((k) => [k, cells[k]]));
  return {
    name: cells.name,
    domain: cells.domain?.toLowerCase(),
    website: cells.website,
    industry: cells.industry,
    employees: count(cells.employees),
    phone: cells.phone,
    description: cells.description,
    tags: listCell(cells.tags),
    address: Object.keys(address).length ? address : undefined,
  };
}

const domainOfInput = (input: CompanyInput) => input.domain ?? (input.website ? domainOf(input.website) : null);

type Existing = { id: string; tags: string; address: string | null };

const RESTORABLE = ['name', 'sort_name', 'domain', 'website', 'industry', 'employees', 'phone', 'address', 'description', 'tags', 'updated_at'] as const;

export const companyImporter: Importer<CompanyInput & { name: string }, Existing> = {
  entity: 'company',
  idKind: 'company',
  fields: FIELDS,
  pathLabels: { name: 'Name', domain: 'Domain', website: 'Website', industry: 'Industry', employees: 'Employees', phone: 'Phone', description: 'Description', tags: 'Tags', address: 'Address' },
  toInput,
  schema: companyCreate,
  keysOf: (input) => {
    const domain = domainOfInput(input);
    return domain ? [domain] : [];
  },

  async findExisting(scope, keys) {
    if (!keys.length) return new Map();
    const rows = await scope.db.all<Existing & { key: string }>(
      sql`select ${companies.domain} as "key", ${companies.id} as "id", ${companies.tags} as "tags", ${companies.address} as "address"
      from ${companies}
      where ${scope.ws.scope(companies, sql`${companies.domain} in (select value from json_each(${JSON.stringify(keys)})) and ${companies.deletedAt} is null`)}
      order by ${companies.id}`,
    );
    const found = new Map<string, Existing>();
    for (const { key, ...row } of rows) if (!found.has(key)) found.set(key, row);
    return found;
  },

  createMany(scope, rows, { guard, ownerId }) {
    if (!rows.length) return [];
    const values = rows.map(({ id, input }) => ({
      id,
      name: input.name,
      sortName: sortKey(input.name),
      domain: domainOfInput(input),
      website: input.website ?? null,
      industry: input.industry ?? null,
      employees: input.employees ?? null,
      phone: input.phone ?? null,
      address: input.address ? JSON.stringify(input.address) : null,
      description: input.description ?? null,
      tags: JSON.stringify(input.tags ?? []),
    }));
    const m = member;
    return [
      scope.db.run(sql`insert into ${companies} (id, workspace_id, name, sort_name, domain, website, industry, employees, phone, address,
          description, owner_id, tags, custom_fields, created_at, updated_at)
        select ${m('id')}, ${scope.ws.workspaceId}, ${m('name')}, ${m('sortName')}, ${m('domain')}, ${m('website')}, ${m('industry')},
          ${m('employees')}, ${m('phone')}, ${m('address')}, ${m('description')}, ${ownerId}, ${m('tags')}, '{}', ${scope.now}, ${scope.now}
        from ${rowsParam(values)} as j where ${guard}`),
    ];
  },

  updateMany(scope, rows, { guard }) {
    if (!rows.length) return [];
    const values = rows.map(({ existing, input }) => {
      const address = input.address ? { ...(existing.address ? (JSON.parse(existing.address) as PostalAddress) : {}), ...input.address } : null;
      return {
        id: existing.id,
        name: input.name,
        sortName: sortKey(input.name),
        website: input.website ?? null,
        industry: input.industry ?? null,
        employees: input.employees ?? null,
        phone: input.phone ?? null,
        address: address && JSON.stringify(address),
        description: input.description ?? null,
        tags: JSON.stringify(mergeCaseBlind(JSON.parse(existing.tags) as string[], input.tags, 50)),
      };
    });
    const m = member;
    return [
      scope.db.run(sql`update ${companies} set name = ${m('name')}, sort_name = ${m('sortName')}, website = coalesce(${m('website')}, website),
          industry = coalesce(${m('industry')}, industry), employees = coalesce(${m('employees')}, employees), phone = coalesce(${m('phone')}, phone),
          address = coalesce(${m('address')}, address), description = coalesce(${m('description')}, description), tags = ${m('tags')},
          updated_at = ${scope.now}
        from ${rowsParam(values)} as j
        where ${companies.id} = ${m('id')} and ${scope.ws.scope(companies, sql`${companies.deletedAt} is null`)} and ${guard}`),
    ];
  },

  table: 'companies',
  restorable: RESTORABLE,
};
