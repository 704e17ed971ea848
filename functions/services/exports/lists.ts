import type { CompanyListQuery, CompanyView } from '../../schemas/companies';
import type { ContactListQuery, ContactView } from '../../schemas/contacts';
import type { OrderListQuery, OrderView } from '../../schemas/orders';
import type { ProductListQuery, ProductView } from '../../schemas/products';
import { formatMinor } from '../../domain/commerce';
import { listCompanies } from '../companies/list';
import { listContacts } from '../contacts/list';
import { listOrders } from '../orders/list';
import { listProducts } from '../products/list';
import { joined, type ExportConfig } from './index';

// The contacts, companies, products and orders lists as CSV: their columns as the list pages
// name them (web/src/lib/objects/*), read from the list's own JSON.

const personName = (c: ContactView) => `${c.firstName} ${c.lastName}`.trim() || (c.emails[0]?.address ?? '');

export type ListExportQuery<Q> = Omit<Q, 'cursor' | 'limit'>;

export const contactExport: ExportConfig<ListExportQuery<ContactListQuery>, ContactView> = {
  plural: 'contacts',
  customFieldEntity: 'contact',
  defaultColumns: ['name', 'email', 'company', 'phone', 'lifecycleStage', 'owner', 'tags'],
  columns: {
    name: { label: 'Name', value: personName },
    firstName: { label: 'First name', value: (c) => c.firstName },
    lastName: { label: 'Last name', value: (c) => c.lastName },
    email: { label: 'Email', value: (c) => c.emails[0]?.address },
    phone: { label: 'Phone', value: (c) => c.phones[0]?.number },
    jobTitle: { label: 'Job title', value: (c) => c.jobTitle },
    company: { label: 'Company', value: (c) => c.companyName },
    lifecycleStage: { label: 'Stage', value: (c) => c.lifecycleStage },
    owner: { label: 'Owner', value: (c, { members }) => (c.ownerId ? (members.get(c.ownerId) ?? '') : '') },
    tags: { label: 'Tags', value: (c) => joined(c.tags) },
    leadSource: { label: 'Lead source', value: (c) => c.leadSource },
    preferredChannel: { label: 'Preferred channel', value: (c) => c.preferredChannel },
    emailConsent: { label: 'Email consent', value: (c) => c.emailConsent },
    emailConsentMethod: { label: 'How consent was given', value: (c) => c.emailConsentMethod },
    emailConsentAt: { label: 'Consent recorded', value: (c) => c.emailConsentAt },
    'softData.interests': { label: 'Interests', value: (c) => joined(c.softData.interests) },
    'softData.preferences': { label: 'Preferences', value: (c) => c.softData.preferences },
    'softData.family': { label: 'Family', value: (c) => c.softData.family },
    'softData.notes': { label: 'Background', value: (c) => c.softData.notes },
    createdAt: { label: 'Added', value: (c) => c.createdAt },
    updatedAt: { label: 'Updated', value: (c) => c.updatedAt },
  },
  page: (scope, query, cursor, limit) => listContacts(scope, { ...query, cursor, limit }),
};

export const companyExport: ExportConfig<ListExportQuery<CompanyListQuery>, CompanyView> = {
  plural: 'companies',
  customFieldEntity: 'company',
  defaultColumns: ['name', 'domain', 'industry', 'contactCount', 'owner', 'tags'],
  columns: {
    name: { label: 'Name', value: (c) => c.name },
    domain: { label: 'Domain', value: (c) => c.domain },
    website: { label: 'Website', value: (c) => c.website },
    industry: { label: 'Industry', value: (c) => c.industry },
    employees: { label: 'Employees', value: (c) => c.employees },
    phone: { label: 'Phone', value: (c) => c.phone },
    owner: { label: 'Owner', value: (c, { members }) => (c.ownerId ? (members.get(c.ownerId) ?? '') : '') },
    tags: { label: 'Tags', value: (c) => joined(c.tags) },
    description: { label: 'Description', value: (c) => c.description },
    contactCount: { label: 'People', value: (c) => c.contactCount },
    createdAt: { label: 'Added', value: (c) => c.createdAt },
  },
  page: (scope, query, cursor, limit) => listCompanies(scope, { ...query, cursor, limit }),
};

// Amounts as a person and the import read them: major units of the
// record's currency ("12.50"), the currency in its own column, which a
// file with amounts always has.
const withCurrency = (money: readonly string[]) => (keys: readonly string[]) => {
  const first = keys.findIndex((k) => money.includes(k));
  return first === -1 || keys.includes('currency') ? keys : [...keys.slice(0, first + 1), 'currency', ...keys.slice(first + 1)];
};
export const productExport: ExportConfig<ListExportQuery<ProductListQuery>, ProductView> = {
  plural: 'products',
  customFieldEntity: null,
  defaultColumns: ['sku', 'name', 'category', 'price', 'currency', 'active'],
  complete: withCurrency(['price']),
  columns: {
    sku: { label: 'SKU', value: (p) => p.sku },
    name: { label: 'Name', value: (p) => p.name },
    category: { label: 'Category', value: (p) => p.category },
    price: { label: 'Price', value: (p) => formatMinor(p.price, p.currency) },
    currency: { label: 'Currency', value: (p) => p.currency },
    active: { label: 'Active', value: (p) => (p.active ? 'yes' : 'no') },
    description: { label: 'Description', value: (p) => p.description },
    tags: { label: 'Tags', value: (p) => joined(p.tags) },
    createdAt: { label: 'Added', value: (p) => p.createdAt },
    updatedAt: { label: 'Updated', value: (p) => p.updatedAt },
  },
  page: (scope, query, cursor, limit) => listProducts(scope, { ...query, cursor, limit }),
};

const money = (key: 'subtotal' | 'discount' | 'shipping' | 'tax' | 'total' | 'refunded', label: string) => ({
  label,
  value: (o: OrderView) => formatMinor(o[key], o.currency),
});

export const orderExport: ExportConfig<ListExportQuery<OrderListQuery>, OrderView> = {
  plural: 'orders',
  customFieldEntity: null,
  defaultColumns: ['externalId', 'orderedAt', 'customer', 'status', 'currency', 'total', 'refunded', 'lines'],
  complete: withCurrency(['subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded']),
  columns: {
    // As the list names an order (web/src/lib/objects/orders.ts).
    name: { label: 'Order', value: (o) => `Order ${o.externalId ?? o.id.slice(-6)}` },
    externalId: { label: 'Order number', value: (o) => o.externalId },
    orderedAt: { label: 'Ordered at', value: (o) => o.orderedAt },
    customer: { label: 'Customer', value: (o) => o.contactName },
    status: { label: 'Status', value: (o) => o.status },
    currency: { label: 'Currency', value: (o) => o.currency },
    subtotal: money('subtotal', 'Subtotal'),
    discount: money('discount', 'Discount'),
    shipping: money('shipping', 'Shipping'),
    tax: money('tax', 'Tax'),
    total: money('total', 'Total'),
    refunded: money('refunded', 'Refunded'),
    lineCount: { label: 'Line count', value: (o) => o.lines.length },
    lines: { label: 'Lines', value: (o) => o.lines.map((l) => `${l.quantity} × ${l.name}${l.sku ? ` (${l.sku})` : ''}`).join('; ') },
    note: { label: 'Note', value: (o) => o.note },
    createdAt: { label: 'Added', value: (o) => o.createdAt },
  },
  page: (scope, query, cursor, limit) => listOrders(scope, { ...query, cursor, limit }),
};
