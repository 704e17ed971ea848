import type { Product } from '$lib/api';
import type { FieldDef } from '$lib/fields/types';
import type { ObjectDef } from './types';

const builtIn: FieldDef<Product>[] = [
  { key: 'name', label: 'Name', type: 'text', required: true, value: (p) => p.name, patch: (v) => ({ name: v }), sort: 'name' },
  { key: 'sku', label: 'SKU', type: 'text', required: true, hint: 'Unique in the catalogue, no spaces.', value: (p) => p.sku, patch: (v) => ({ sku: v }) },
  { key: 'category', label: 'Category', type: 'text', value: (p) => p.category, patch: (v) => ({ category: v || null }) },
  {
    key: 'price',
    label: 'Price',
    type: 'money',
    required: true,
    value: (p) => ({ amount: p.price, currency: p.currency }),
    patch: (v) => ({ price: v }),
    sort: 'price',
  },
  {
    key: 'currency',
    label: 'Currency',
    type: 'text',
    required: true,
    hint: 'An ISO 4217 code such as USD or EUR; the price keeps its digits.',
    value: (p) => p.currency,
    patch: (v) => ({ currency: v }),
  },
  { key: 'active', label: 'On sale', type: 'boolean', required: true, value: (p) => p.active, patch: (v) => ({ active: v }) },
  { key: 'tags', label: 'Tags', type: 'tags', value: (p) => p.tags, patch: (v) => ({ tags: v ?? [] }) },
  { key: 'description', label: 'Description', type: 'longText', value: (p) => p.description, patch: (v) => ({ description: v || null }) },
  { key: 'createdAt', label: 'Added', type: 'datetime', value: (p) => p.createdAt, sort: 'createdAt' },
  { key: 'updatedAt', label: 'Updated', type: 'datetime', value: (p) => p.updatedAt },
];

export const productObject: ObjectDef<Product> = {
  singular: 'product',
  plural: 'products',
  path: '/products',
  href: (p) => `/products/${p.id}`,
  label: (p) => p.name,
  // No custom fields: their definitions are for contacts and companies only
  // (functions/domain/custom-fields.ts).
  fields: () => builtIn,
  defaultColumns: ['name', 'sku', 'category', 'price', 'active'],
  summary: ['sku', 'price', 'category', 'active', 'tags'],
  sections: [
    { key: 'catalogue', label: 'Catalogue', fields: ['name', 'sku', 'category', 'price', 'currency', 'active', 'tags'] },
    { key: 'about', label: 'About', fields: ['description', 'createdAt', 'updatedAt'] },
  ],
  placeCustom: () => 'catalogue',
};
