import type { InferRequestType } from 'hono/client';
import type { api } from './api';

type ContactSort = NonNullable<InferRequestType<typeof api.api.contacts.$get>['query']['sort']>;
type CompanySort = NonNullable<InferRequestType<typeof api.api.companies.$get>['query']['sort']>;

// The words for each order, typed against the API's query schema, so a sort
// the API drops stops compiling. One name per order a person can tell
// apart: "Recently added" beside "Newest first" read as two orders when
// they are one, so `recent` (newest first, the fast order for a search) is
// not offered by name; it shows as "Newest first" (sortChoice).
export const CONTACT_SORTS: { value: ContactSort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Last updated first' },
  { value: 'updatedAt', label: 'Least recently updated first' },
];

export const COMPANY_SORTS: { value: CompanySort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
];

// Every sort a list's URL may carry: the offered ones and `recent`.
export const CONTACT_SORT_VALUES = [...CONTACT_SORTS.map((s) => s.value), 'recent'] as const;
export const COMPANY_SORT_VALUES = COMPANY_SORTS.map((s) => s.value);

// The menu's choice for a sort: `recent` is the same order as newest first.
export const sortChoice = (sort: string) => (sort === 'recent' ? '-createdAt' : sort);

type ProductSort = NonNullable<InferRequestType<typeof api.api.products.$get>['query']['sort']>;
type OrderSort = NonNullable<InferRequestType<typeof api.api.orders.$get>['query']['sort']>;

export const PRODUCT_SORTS: { value: ProductSort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: 'price', label: 'Cheapest first' },
  { value: '-price', label: 'Dearest first' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
];

export const ORDER_SORTS: { value: OrderSort; label: string }[] = [
  { value: '-orderedAt', label: 'Latest first' },
  { value: 'orderedAt', label: 'Earliest first' },
  { value: '-total', label: 'Largest total first' },
  { value: 'total', label: 'Smallest total first' },
];

export const PRODUCT_SORT_VALUES = PRODUCT_SORTS.map((s) => s.value);
export const ORDER_SORT_VALUES = ORDER_SORTS.map((s) => s.value);
