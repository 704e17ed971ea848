import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  const api = apiWith(fetch);
  depends('app:analytics');
  try {
    const [settings, runs] = await Promise.all([
      call(api.api.segmentation.settings.$get()),
      call(api.api.segmentation.runs.$get({ query: { limit: '10' } })),
    ]);
    return { settings, runs: runs.data };
  } catch (e) {
    failLoad(e, url);
  }
};
