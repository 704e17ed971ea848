import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, depends, fetch }) => {
  const api = apiWith(fetch);
  const segment = api.api.segments[':id'];
  const param = { id: params.id };
  depends('app:segment');
  try {
    const [found, members, changes] = await Promise.all([
      call(segment.$get({ param })),
      call(segment.members.$get({ param, query: {} })),
      call(segment.changes.$get({ param, query: {} })),
    ]);
    return { segment: found, members, changes };
  } catch (e) {
    failLoad(e, url, 'Segment');
  }
};
