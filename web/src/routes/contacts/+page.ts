import { contactSource, loadList } from '$lib/list/source';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:contacts');
  try {
    return await loadList(contactSource, url, fetch);
  } catch (e) {
    failLoad(e, url);
  }
};
