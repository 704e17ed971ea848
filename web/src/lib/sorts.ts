import type { InferRequestType } from 'hono/client';
import type { api } from './api';

type ContactSort = NonNullable<InferRequestType<typeof api.api.contacts.$get>['query']['sort']>;
type CompanySort = NonNullable<InferRequestType<typeof api.api.companies.$get>['query']['sort']>;

// Typed against the API's query schema, so a sort the API drops stops compiling.
export const CONTACT_SORTS: { value: ContactSort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: 'recent', label: 'Recently added' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Recently updated' },
];

export const COMPANY_SORTS: { value: CompanySort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
];
