import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:integrations');
  try {
    const sources = await call(apiWith(fetch).api['webhook-sources'].$get());
    return { sources: sources.data };
  } catch (e) {
    failLoad(e, url);
  }
};
