import { ORDER_STATUSES } from '../../../../functions/domain/commerce';
import { CONSENT_STATUSES, LIFECYCLE_STAGES } from '../../../../functions/domain/records';
import { RFM_SEGMENTS, SEGMENT_LABELS, TIER_LABELS, VALUE_TIERS, type RfmSegment, type ValueTier } from '../../../../functions/domain/rfm';
import { COMPANY_SORT_VALUES, CONTACT_SORT_VALUES, ORDER_SORT_VALUES, PRODUCT_SORT_VALUES } from '../sorts';
import type { ListKind } from './state';

const SCORES = ['1', '2', '3', '4', '5'] as const;

// The filters and sorts each list's URL carries (the API's list query has
// the same names: functions/schemas/contact-list.ts, company-list.ts,
// products.ts, orders.ts).
export const contactListKind: ListKind = {
  filters: [
    { name: 'lifecycleStage', multiple: true, values: LIFECYCLE_STAGES, label: 'Stage' },
    { name: 'tag', multiple: true },
    { name: 'ownerId', multiple: false, label: 'Owner' },
    { name: 'companyId', multiple: false, label: 'Company', input: 'none' },
    { name: 'emailConsent', multiple: false, values: CONSENT_STATUSES, label: 'Email consent' },
    { name: 'leadSource', multiple: false, label: 'Lead source' },
    // The nightly scores: the insights page links a segment, a tier or a
    // cell of its R×FM grid here.
    { name: 'segment', multiple: true, values: RFM_SEGMENTS, label: 'Segment', valueLabel: (v) => SEGMENT_LABELS[v as RfmSegment] ?? v },
    { name: 'tier', multiple: true, values: VALUE_TIERS, label: 'Tier', valueLabel: (v) => TIER_LABELS[v as ValueTier] ?? v },
    { name: 'r', multiple: false, values: SCORES, label: 'Recency score' },
    { name: 'fm', multiple: false, values: SCORES, label: 'Frequency and value score' },
  ],
  sorts: CONTACT_SORT_VALUES,
  defaultSort: (searching) => (searching ? 'recent' : 'name'),
};

export const companyListKind: ListKind = {
  filters: [
    { name: 'tag', multiple: true },
    { name: 'ownerId', multiple: false, label: 'Owner' },
    { name: 'industry', multiple: false },
  ],
  sorts: COMPANY_SORT_VALUES,
  defaultSort: () => 'name',
};

export const productListKind: ListKind = {
  filters: [
    { name: 'category', multiple: true },
    { name: 'active', multiple: false, values: ['true', 'false'], label: 'Sale', valueLabel: (v) => (v === 'true' ? 'On sale' : 'Off sale') },
  ],
  sorts: PRODUCT_SORT_VALUES,
  defaultSort: () => 'name',
};

const day = /^\d{4}-\d{2}-\d{2}$/;
export const orderListKind: ListKind = {
  filters: [
    { name: 'status', multiple: true, values: ORDER_STATUSES },
    { name: 'contactId', multiple: false, label: 'Customer', input: 'none' },
    { name: 'from', multiple: false, pattern: day, label: 'Ordered from', input: 'date' },
    { name: 'to', multiple: false, pattern: day, label: 'Ordered until', input: 'date' },
  ],
  sorts: ORDER_SORT_VALUES,
  defaultSort: () => '-orderedAt',
};
