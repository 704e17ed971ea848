import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, depends, fetch }) => {
  depends('app:import');
  try {
    return { item: await call(apiWith(fetch).api.imports[':id'].$get({ param: { id: params.id } })) };
  } catch (e) {
    failLoad(e, url, 'Import');
  }
};
