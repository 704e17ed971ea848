import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type {
  ContactEmail,
  ContactPhone,
  CustomFieldValues,
  PostalAddress,
  SoftData,
} from '../../functions/domain/records';
import { CONSENT_STATUSES, LIFECYCLE_STAGES, CHANNELS } from '../../functions/domain/records';
import { timestamps, workspaceId } from './columns';

export const contacts = sqliteTable(
  'contacts',
  {
    // An integer row key that VACUUM cannot renumber: the full-text index
    // (contacts_fts, external content) points at rows by it.
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    workspaceId: workspaceId(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    sortName: text('sort_name').notNull(),
    emails: text('emails', { mode: 'json' }).$type<ContactEmail[]>().notNull(),
    phones: text('phones', { mode: 'json' }).$type<ContactPhone[]>().notNull(),
    address: text('address', { mode: 'json' }).$type<PostalAddress>(),
    jobTitle: text('job_title'),
    companyId: text('company_id'),
    ownerId: text('owner_id'),
    lifecycleStage: text('lifecycle_stage', { enum: LIFECYCLE_STAGES }).notNull(),
    leadSource: text('lead_source'),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    preferredChannel: text('preferred_channel', { enum: CHANNELS }),
    emailConsent: text('email_consent', { enum: CONSENT_STATUSES }).notNull(),
    emailConsentAt: integer('email_consent_at'),
    emailConsentMethod: text('email_consent_method'),
    softData: text('soft_data', { mode: 'json' }).$type<SoftData>().notNull(),
    customFields: text('custom_fields', { mode: 'json' }).$type<CustomFieldValues>().notNull(),
    // Name, emails, phones and company name in one string for the trigram
    // full-text index; written by the contacts service only.
    searchText: text('search_text').notNull(),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    uniqueIndex('contacts_id').on(t.id),
    index('contacts_ws_name').on(t.workspaceId, t.sortName, t.id).where(sql`deleted_at is null`),
    index('contacts_ws_created').on(t.workspaceId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('contacts_ws_updated').on(t.workspaceId, t.updatedAt, t.id).where(sql`deleted_at is null`),
    // "Recently added" (the default order of search results) without a query.
    index('contacts_ws_seq').on(t.workspaceId, t.seq).where(sql`deleted_at is null`),
    index('contacts_ws_company').on(t.workspaceId, t.companyId).where(sql`deleted_at is null`),
    index('contacts_ws_owner').on(t.workspaceId, t.ownerId).where(sql`deleted_at is null`),
    // The segment builder's "stage is X" (its commonest condition) counted
    // and put in name order from this range alone, not from every contact.
    index('contacts_ws_stage').on(t.workspaceId, t.lifecycleStage, t.sortName, t.id).where(sql`deleted_at is null`),
    index('contacts_ws_deleted').on(t.workspaceId, t.deletedAt).where(sql`deleted_at is not null`),
  ],
);
