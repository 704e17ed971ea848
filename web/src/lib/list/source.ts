import type { InferRequestType, InferResponseType } from 'hono/client';
import { LIFECYCLE_STAGES } from '$functions/domain/records';
import { apiWith, call, type Company, type Contact, type CustomField, type Member, type Order, type Product } from '$lib/api';
import { companyObject } from '$lib/objects/companies';
import { contactObject } from '$lib/objects/contacts';
import { orderObject } from '$lib/objects/orders';
import { productObject } from '$lib/objects/products';
import type { ObjectDef } from '$lib/objects/types';
import { COMPANY_SORTS, CONTACT_SORTS, ORDER_SORTS, PRODUCT_SORTS } from '$lib/sorts';
import { companyListKind, contactListKind, orderListKind, productListKind } from './kinds';
import { apiQuery, readState, type ListKind, type ListState } from './state';

type Client = ReturnType<typeof apiWith>;

export type ListPage<R> = { data: R[]; nextCursor: string | null };
export type ListCount = { count: number; capped: boolean };
export type TagCount = { tag: string; count: number };
export type BulkOperation = InferResponseType<Client['api']['bulk-operations'][':id']['$get'], 200>;
export type SavedView = InferResponseType<Client['api']['views']['$get'], 200>['data'][number];
export type ContactBulk = InferRequestType<Client['api']['contacts']['bulk']['$post']>['json'];
export type BulkSelection = ContactBulk['selection'];
type ProductBulk = InferRequestType<Client['api']['products']['bulk']['$post']>['json'];
type OrderBulk = InferRequestType<Client['api']['orders']['bulk']['$post']>['json'];
// Every list's actions; each list's bulk endpoint takes its own (its
// source offers only those: `bulkActions`).
export type BulkAction = ContactBulk['action'] | ProductBulk['action'];
// The bulk bar's choices beside Delete, which every list has.
export type BulkChoice = 'addTags' | 'removeTags' | 'setOwner' | 'setStage' | 'setActive';
type CustomFieldEntity = InferRequestType<Client['api']['custom-fields']['$get']>['query']['entity'];

// One object's list for the shared list piece (ListView.svelte): how its
// URL reads, its fields, and the API calls behind its pages, count, tags
// and bulk actions. A later resource's list is one more of these and a
// page that renders ListView with it.
export type ListSource<R extends { id: string }> = {
  entity: 'contact' | 'company' | 'product' | 'order';
  kind: ListKind;
  object: ObjectDef<R>;
  sorts: { value: string; label: string }[];
  // The load dependency the page reloads by.
  depends: string;
  // One or two characters search the start of a name, not a fragment.
  shortSearch: boolean;
  // Stages a bulk action may set (contacts only).
  stages?: readonly string[];
  // Which custom field definitions its records carry; none without.
  customFields?: CustomFieldEntity;
  bulkActions: BulkChoice[];
  page(client: Client, state: ListState, cursor?: string): Promise<ListPage<R>>;
  count(client: Client, state: ListState): Promise<ListCount>;
  // The tags in use, for lists whose records have tags.
  tags?(client: Client): Promise<{ data: TagCount[] }>;
  bulk(client: Client, body: { selection: BulkSelection; action: BulkAction }): Promise<BulkOperation>;
  restore(client: Client, id: string): Promise<unknown>;
  purge(client: Client, id: string): Promise<unknown>;
};

// The query types the RPC client wants, from the URL state's query (same
// names, checked by the API's schema on arrival).
type ContactQuery = InferRequestType<Client['api']['contacts']['$get']>['query'];
type CompanyQuery = InferRequestType<Client['api']['companies']['$get']>['query'];
type ProductQuery = InferRequestType<Client['api']['products']['$get']>['query'];
type OrderQuery = InferRequestType<Client['api']['orders']['$get']>['query'];

export const contactSource: ListSource<Contact> = {
  entity: 'contact',
  kind: contactListKind,
  object: contactObject,
  sorts: CONTACT_SORTS,
  depends: 'app:contacts',
  shortSearch: true,
  stages: LIFECYCLE_STAGES,
  customFields: 'contact',
  bulkActions: ['addTags', 'removeTags', 'setOwner', 'setStage'],
  page: (client, state, cursor) =>
    call(client.api.contacts.$get({ query: { ...(apiQuery(contactListKind, state) as ContactQuery), sort: state.sort as ContactQuery['sort'], cursor } })),
  count: (client, state) => call(client.api.contacts.count.$get({ query: apiQuery(contactListKind, state) as ContactQuery })),
  tags: (client) => call(client.api.contacts.tags.$get()),
  bulk: (client, json) => call(client.api.contacts.bulk.$post({ json: json as ContactBulk })),
  restore: (client, id) => call(client.api.contacts[':id'].restore.$post({ param: { id } })),
  purge: (client, id) => call(client.api.contacts[':id'].purge.$post({ param: { id } })),
};

export const companySource: ListSource<Company> = {
  entity: 'company',
  kind: companyListKind,
  object: companyObject,
  sorts: COMPANY_SORTS,
  depends: 'app:companies',
  shortSearch: false,
  customFields: 'company',
  bulkActions: ['addTags', 'removeTags', 'setOwner'],
  page: (client, state, cursor) =>
    call(client.api.companies.$get({ query: { ...(apiQuery(companyListKind, state) as CompanyQuery), sort: state.sort as CompanyQuery['sort'], cursor } })),
  count: (client, state) => call(client.api.companies.count.$get({ query: apiQuery(companyListKind, state) as CompanyQuery })),
  tags: (client) => call(client.api.companies.tags.$get()),
  bulk: (client, json) =>
    call(client.api.companies.bulk.$post({ json: json as InferRequestType<Client['api']['companies']['bulk']['$post']>['json'] })),
  restore: (client, id) => call(client.api.companies[':id'].restore.$post({ param: { id } })),
  purge: (client, id) => call(client.api.companies[':id'].purge.$post({ param: { id } })),
};

export const productSource: ListSource<Product> = {
  entity: 'product',
  kind: productListKind,
  object: productObject,
  sorts: PRODUCT_SORTS,
  depends: 'app:products',
  shortSearch: false,
  bulkActions: ['setActive'],
  page: (client, state, cursor) =>
    call(client.api.products.$get({ query: { ...(apiQuery(productListKind, state) as ProductQuery), sort: state.sort as ProductQuery['sort'], cursor } })),
  count: (client, state) => call(client.api.products.count.$get({ query: apiQuery(productListKind, state) as ProductQuery })),
  bulk: (client, json) => call(client.api.products.bulk.$post({ json: json as ProductBulk })),
  restore: (client, id) => call(client.api.products[':id'].restore.$post({ param: { id } })),
  purge: (client, id) => call(client.api.products[':id'].purge.$post({ param: { id } })),
};

export const orderSource: ListSource<Order> = {
  entity: 'order',
  kind: orderListKind,
  object: orderObject,
  sorts: ORDER_SORTS,
  depends: 'app:orders',
  shortSearch: false,
  bulkActions: [],
  page: (client, state, cursor) =>
    call(client.api.orders.$get({ query: { ...(apiQuery(orderListKind, state) as OrderQuery), sort: state.sort as OrderQuery['sort'], cursor } })),
  count: (client, state) => call(client.api.orders.count.$get({ query: apiQuery(orderListKind, state) as OrderQuery })),
  bulk: (client, json) => call(client.api.orders.bulk.$post({ json: json as OrderBulk })),
  restore: (client, id) => call(client.api.orders[':id'].restore.$post({ param: { id } })),
  purge: (client, id) => call(client.api.orders[':id'].purge.$post({ param: { id } })),
};

export type ListData<R> = {
  state: ListState;
  members: Member[];
  customFields: CustomField[];
  // Promises: the page draws its frame, then these as they arrive.
  page: Promise<ListPage<R>>;
  count: Promise<ListCount>;
  views: Promise<SavedView[]>;
};

// A list page's load: the URL read once, the members and custom fields
// (columns and filters need them) awaited, the rows, count and views not.
export async function loadList<R extends { id: string }>(source: ListSource<R>, url: URL, fetch: typeof globalThis.fetch): Promise<ListData<R>> {
  const client = apiWith(fetch);
  const state = readState(source.kind, url.searchParams);
  const page = source.page(client, state);
  const count = source.count(client, state);
  const views = call(client.api.views.$get({ query: { entity: source.entity } })).then((v) => v.data);
  // Unhandled until the page awaits them; a failure shows there.
  for (const p of [page, count, views]) p.catch(() => {});
  const entity = source.customFields;
  const [members, customFields] = await Promise.all([
    call(client.api.members.$get()),
    entity ? call(client.api['custom-fields'].$get({ query: { entity } })) : { data: [] },
  ]);
  return { state, members: members.data, customFields: customFields.data, page, count, views };
}
