import { companySource, loadList } from '$lib/list/source';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:companies');
  try {
    return await loadList(companySource, url, fetch);
  } catch (e) {
    failLoad(e, url);
  }
};
