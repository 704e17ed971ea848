import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:segments');
  try {
    return { segments: (await call(apiWith(fetch).api.segments.$get())).data };
  } catch (e) {
    failLoad(e, url);
  }
};
