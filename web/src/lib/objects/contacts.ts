import { LIFECYCLE_STAGES, CHANNELS, CONSENT_STATUSES } from '$functions/domain/records';
import type { Contact } from '$lib/api';
import { personName } from '$lib/format';
import type { FieldDef } from '$lib/fields/types';
import { customFields } from './custom-fields';
import type { ObjectDef } from './types';

const builtIn: FieldDef<Contact>[] = [
  { key: 'name', label: 'Name', type: 'text', value: personName, sort: 'name' },
  { key: 'firstName', label: 'First name', type: 'text', value: (c) => c.firstName, patch: (v) => ({ firstName: v ?? '' }) },
  { key: 'lastName', label: 'Last name', type: 'text', value: (c) => c.lastName, patch: (v) => ({ lastName: v ?? '' }) },
  { key: 'email', label: 'Email', type: 'email', value: (c) => c.emails[0]?.address ?? null },
  { key: 'phone', label: 'Phone', type: 'phone', value: (c) => c.phones[0]?.number ?? null },
  { key: 'jobTitle', label: 'Job title', type: 'text', value: (c) => c.jobTitle, patch: (v) => ({ jobTitle: v ?? null }) },
  {
    key: 'company',
    label: 'Company',
    type: 'company',
    value: (c) => (c.companyId && c.companyName ? { id: c.companyId, name: c.companyName } : null),
    patch: (v) => ({ companyId: v ?? null }),
  },
  {
    key: 'lifecycleStage',
    label: 'Stage',
    type: 'select',
    options: LIFECYCLE_STAGES,
    value: (c) => c.lifecycleStage,
    patch: (v) => ({ lifecycleStage: v }),
  },
  { key: 'owner', label: 'Owner', type: 'member', value: (c) => c.ownerId, patch: (v) => ({ ownerId: v ?? null }) },
  { key: 'tags', label: 'Tags', type: 'tags', value: (c) => c.tags, patch: (v) => ({ tags: v ?? [] }) },
  { key: 'leadSource', label: 'Lead source', type: 'text', value: (c) => c.leadSource, patch: (v) => ({ leadSource: v ?? null }) },
  {
    key: 'preferredChannel',
    label: 'Preferred channel',
    type: 'select',
    options: CHANNELS,
    value: (c) => c.preferredChannel,
    patch: (v) => ({ preferredChannel: v ?? null }),
  },
  {
    key: 'emailConsent',
    label: 'Email consent',
    type: 'select',
    options: CONSENT_STATUSES,
    value: (c) => c.emailConsent,
    patch: (v) => ({ emailConsent: v }),
  },
  { key: 'createdAt', label: 'Added', type: 'datetime', value: (c) => c.createdAt, sort: 'createdAt' },
  { key: 'updatedAt', label: 'Updated', type: 'datetime', value: (c) => c.updatedAt, sort: 'updatedAt' },
];

export const contactObject: ObjectDef<Contact> = {
  singular: 'contact',
  plural: 'contacts',
  path: '/contacts',
  href: (c) => `/contacts/${c.id}`,
  label: personName,
  fields: (custom) => [...builtIn, ...customFields<Contact>(custom)],
  defaultColumns: ['name', 'email', 'company', 'phone', 'lifecycleStage', 'owner', 'tags'],
  summary: ['jobTitle', 'company', 'lifecycleStage', 'owner', 'tags', 'email', 'phone'],
};
