import { CONSENT_STATUSES, LIFECYCLE_STAGES } from '../../../../functions/domain/records';
import { RFM_SEGMENTS, VALUE_TIERS } from '../../../../functions/domain/rfm';
import { COMPANY_SORT_VALUES, CONTACT_SORT_VALUES } from '../sorts';
import type { ListKind } from './state';

const SCORES = ['1', '2', '3', '4', '5'] as const;

// The filters and sorts each list's URL carries (the API's list query has
// the same names: functions/schemas/contact-list.ts, company-list.ts).
export const contactListKind: ListKind = {
  filters: [
    { name: 'lifecycleStage', multiple: true, values: LIFECYCLE_STAGES },
    { name: 'tag', multiple: true },
    { name: 'ownerId', multiple: false },
    { name: 'companyId', multiple: false },
    { name: 'emailConsent', multiple: false, values: CONSENT_STATUSES },
    { name: 'leadSource', multiple: false },
    // The nightly scores: the insights page links a segment, a tier or a
    // cell of its R×FM grid here.
    { name: 'segment', multiple: true, values: RFM_SEGMENTS },
    { name: 'tier', multiple: true, values: VALUE_TIERS },
    { name: 'r', multiple: false, values: SCORES },
    { name: 'fm', multiple: false, values: SCORES },
  ],
  sorts: CONTACT_SORT_VALUES,
  defaultSort: (searching) => (searching ? 'recent' : 'name'),
};

export const companyListKind: ListKind = {
  filters: [
    { name: 'tag', multiple: true },
    { name: 'ownerId', multiple: false },
    { name: 'industry', multiple: false },
  ],
  sorts: COMPANY_SORT_VALUES,
  defaultSort: () => 'name',
};
