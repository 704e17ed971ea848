import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:segments');
  const trash = url.searchParams.get('deleted') === 'true';
  try {
    return { trash, segments: (await call(apiWith(fetch).api.segments.$get({ query: { deleted: trash ? 'true' : 'false' } }))).data };
  } catch (e) {
    failLoad(e, url);
  }
};
