import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import { COMPANY_SORTS } from '$lib/sorts';
import { pick } from '$lib/url';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:companies');
  const params = url.searchParams;
  const query = {
    q: params.get('q') || undefined,
    ownerId: params.get('ownerId') || undefined,
    tag: params.get('tag') || undefined,
    industry: params.get('industry') || undefined,
    sort: pick(params.get('sort'), COMPANY_SORTS.map((s) => s.value)),
    deleted: params.get('deleted') === 'true' ? ('true' as const) : undefined,
  };
  try {
    const [page, members] = await Promise.all([call(api.api.companies.$get({ query })), call(api.api.members.$get())]);
    return { page, query, members: members.data };
  } catch (e) {
    failLoad(e, url);
  }
};
