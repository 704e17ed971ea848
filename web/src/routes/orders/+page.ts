import { orderSource, loadList } from '$lib/list/source';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:orders');
  try {
    return await loadList(orderSource, url, fetch);
  } catch (e) {
    failLoad(e, url);
  }
};
