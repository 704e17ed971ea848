import { CONSENT_STATUSES, LIFECYCLE_STAGES } from '../../../../functions/domain/records';
import { COMPANY_SORT_VALUES, CONTACT_SORT_VALUES } from '../sorts';
import type { ListKind } from './state';

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
