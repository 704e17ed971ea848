import { CONSENT_STATUSES, LIFECYCLE_STAGES } from '$functions/domain/records';
import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import { CONTACT_SORTS } from '$lib/sorts';
import { pick } from '$lib/url';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:contacts');
  const params = url.searchParams;
  const query = {
    q: params.get('q') || undefined,
    lifecycleStage: pick(params.get('lifecycleStage'), LIFECYCLE_STAGES),
    ownerId: params.get('ownerId') || undefined,
    companyId: params.get('companyId') || undefined,
    tag: params.get('tag') || undefined,
    emailConsent: pick(params.get('emailConsent'), CONSENT_STATUSES),
    sort: pick(params.get('sort'), CONTACT_SORTS.map((s) => s.value)),
    deleted: params.get('deleted') === 'true' ? ('true' as const) : undefined,
  };
  try {
    const [page, members] = await Promise.all([call(api.api.contacts.$get({ query })), call(api.api.members.$get())]);
    return { page, query, members: members.data };
  } catch (e) {
    failLoad(e, url);
  }
};
