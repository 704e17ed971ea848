import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

// The product and the members (the field editors' context) frame the page; a
// product has no custom fields and no timeline.
export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  try {
    const [product, members] = await Promise.all([call(api.api.products[':id'].$get({ param: { id: params.id } })), call(api.api.members.$get())]);
    return { product, members: members.data };
  } catch (e) {
    failLoad(e, url, 'Product');
  }
};
