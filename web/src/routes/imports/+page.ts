import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:imports');
  try {
    const imports = await call(apiWith(fetch).api.imports.$get());
    const entity = url.searchParams.get('entity') === 'company' ? 'company' : 'contact';
    return { imports: imports.data, entity: entity as 'contact' | 'company' };
  } catch (e) {
    failLoad(e, url);
  }
};
