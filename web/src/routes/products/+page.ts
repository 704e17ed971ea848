import { productSource, loadList } from '$lib/list/source';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:products');
  try {
    return await loadList(productSource, url, fetch);
  } catch (e) {
    failLoad(e, url);
  }
};
