import type { Company } from '$lib/api';
import type { FieldDef } from '$lib/fields/types';
import { customFields } from './custom-fields';
import type { ObjectDef } from './types';

const builtIn: FieldDef<Company>[] = [
  { key: 'name', label: 'Name', type: 'text', required: true, value: (c) => c.name, patch: (v) => ({ name: v }), sort: 'name' },
  {
    key: 'domain',
    label: 'Domain',
    type: 'text',
    hint: 'Set from the website; change it only when the company uses another.',
    value: (c) => c.domain,
    patch: (v) => ({ domain: v || null }),
  },
  {
    key: 'website',
    label: 'Website',
    type: 'url',
    hint: 'A bare domain will do: acme.com',
    value: (c) => c.website,
    patch: (v) => ({ website: v || null }),
  },
  { key: 'industry', label: 'Industry', type: 'text', value: (c) => c.industry, patch: (v) => ({ industry: v ?? null }) },
  { key: 'employees', label: 'Employees', type: 'number', value: (c) => c.employees, patch: (v) => ({ employees: v ?? null }) },
  { key: 'phone', label: 'Phone', type: 'phone', value: (c) => c.phone, patch: (v) => ({ phone: v ?? null }) },
  { key: 'owner', label: 'Owner', type: 'member', value: (c) => c.ownerId, patch: (v) => ({ ownerId: v ?? null }) },
  { key: 'tags', label: 'Tags', type: 'tags', value: (c) => c.tags, patch: (v) => ({ tags: v ?? [] }) },
  { key: 'description', label: 'Description', type: 'longText', value: (c) => c.description, patch: (v) => ({ description: v || null }) },
  { key: 'contactCount', label: 'People', type: 'number', value: (c) => c.contactCount, href: (c) => (c.contactCount ? `/contacts?companyId=${c.id}` : null) },
  { key: 'createdAt', label: 'Added', type: 'datetime', value: (c) => c.createdAt, sort: 'createdAt' },
];

export const companyObject: ObjectDef<Company> = {
  singular: 'company',
  plural: 'companies',
  path: '/companies',
  href: (c) => `/companies/${c.id}`,
  label: (c) => c.name,
  fields: (custom) => [...builtIn, ...customFields<Company>(custom)],
  defaultColumns: ['name', 'domain', 'industry', 'contactCount', 'owner', 'tags'],
  summary: ['domain', 'website', 'industry', 'owner', 'tags', 'phone'],
  sections: [
    { key: 'company', label: 'Company', fields: ['name', 'website', 'domain', 'industry', 'employees', 'phone'] },
    { key: 'sales', label: 'Sales', fields: ['owner', 'tags'] },
    { key: 'about', label: 'About', fields: ['description'] },
  ],
  placeCustom: (definition) => definition.section ?? 'company',
};
