import { apiWith, call } from '$lib/api';
import { isImportEntity } from '$lib/imports/entities';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends, fetch }) => {
  depends('app:imports');
  try {
    const imports = await call(apiWith(fetch).api.imports.$get());
    const asked = url.searchParams.get('entity');
    return { imports: imports.data, entity: isImportEntity(asked) ? asked : 'contact' };
  } catch (e) {
    failLoad(e, url);
  }
};
