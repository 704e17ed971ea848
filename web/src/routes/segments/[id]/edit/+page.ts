import { apiWith, call } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, fetch }) => {
  const api = apiWith(fetch);
  try {
    const [segment, fields, members] = await Promise.all([
      call(api.api.segments[':id'].$get({ param: { id: params.id } })),
      call(api.api.segments.fields.$get()),
      call(api.api.members.$get()),
    ]);
    return { segment, fields, members: members.data };
  } catch (e) {
    failLoad(e, url, 'Segment');
  }
};
