import { describe, expect, it } from 'vitest';
import { companyListKind, contactListKind } from '../../../web/src/lib/list/kinds';
import {
  apiQuery,
  cleared,
  differsFromView,
  filterJson,
  hrefOf,
  isFiltered,
  readState,
  stateOfView,
  viewStateOf,
  writeState,
} from '../../../web/src/lib/list/state';

const read = (query: string, kind = contactListKind) => readState(kind, new URLSearchParams(query));
const VIEW = 'view_01JD5X9Q2M7R4T8V6W3Y0Z1A2B';

describe('the list URL → state', () => {
  it('reads search, several stages and tags, one owner, custom conditions, sort, columns, the view and the trash', () => {
    const state = read(`view=${VIEW}&q=ada&lifecycleStage=lead&lifecycleStage=customer&tag=VIP&tag=fair&ownerId=me&cf=score:gte:10&sort=-createdAt&cols=name,email,cf.tier&deleted=true`);
    expect(state).toEqual({
      q: 'ada',
      filters: { lifecycleStage: ['lead', 'customer'], tag: ['VIP', 'fair'], ownerId: ['me'], cf: ['score:gte:10'] },
      sort: '-createdAt',
      columns: ['name', 'email', 'cf.tier'],
      view: VIEW,
      trash: true,
    });
  });

  it('drops what does not parse instead of failing: unknown stages, sorts, columns, views, conditions and extra owners', () => {
    const state = read('lifecycleStage=hot&lifecycleStage=lead&sort=email&cols=name,drop table,email&view=42&cf=tier=gold&ownerId=me&ownerId=none&zzz=1&q=');
    expect(state).toEqual({ filters: { lifecycleStage: ['lead'], ownerId: ['me'] }, columns: ['name', 'email'], trash: false });
  });

  it('keeps a filter the other list does not have out of it', () => {
    expect(read('industry=Widgets&lifecycleStage=lead', companyListKind).filters).toEqual({ industry: ['Widgets'] });
  });
});

describe('state → URL → state', () => {
  it('comes back the same, and equal states make the same link whatever order the URL had', () => {
    const a = read('tag=vip&q=ada&lifecycleStage=lead&sort=name');
    expect(read(writeState(a))).toEqual(a);
    expect(writeState(read('sort=name&lifecycleStage=lead&q=ada&tag=vip'))).toBe(writeState(a));
    expect(hrefOf('/contacts', read(''))).toBe('/contacts');
    expect(hrefOf('/contacts', a)).toBe(`/contacts?${writeState(a)}`);
  });

  it('"Clear filters" keeps the sort, columns and trash, and forgets the view', () => {
    const state = read(`view=${VIEW}&q=ada&tag=vip&sort=-name&cols=name,tags`);
    expect(isFiltered(state)).toBe(true);
    const after = cleared(state);
    expect(isFiltered(after)).toBe(false);
    expect(writeState(after)).toBe('sort=-name&cols=name%2Ctags');
  });
});

describe('state → the API', () => {
  it('asks the list and its count with arrays for several-valued filters', () => {
    expect(apiQuery(contactListKind, read('tag=vip&ownerId=me&cf=tier:in:["gold"]&deleted=true&sort=name'))).toEqual({
      tag: ['vip'],
      ownerId: 'me',
      cf: ['tier:in:["gold"]'],
      deleted: 'true',
    });
  });

  it('sends a bulk selection or a view the same filter as JSON, custom conditions parsed', () => {
    expect(filterJson(contactListKind, read('q=ada&lifecycleStage=lead&ownerId=me&cf=score:gte:10&cf=notes:contains:renewal'))).toEqual({
      q: 'ada',
      lifecycleStage: ['lead'],
      ownerId: 'me',
      cf: [
        { key: 'score', op: 'gte', value: 10 },
        { key: 'notes', op: 'contains', value: 'renewal' },
      ],
    });
  });
});

describe('saved views ↔ state', () => {
  const view = {
    id: VIEW,
    state: { filters: { lifecycleStage: ['lead', 'customer'], tag: ['vip'], cf: [{ key: 'code', op: 'eq' as const, value: '10' }] }, sort: '-createdAt', columns: ['name', 'tags'] },
  };

  it('a view fills the URL, and the URL it fills saves back as the same view', () => {
    const state = stateOfView(contactListKind, view);
    expect(state.view).toBe(VIEW);
    expect(state.filters.cf).toEqual(['code:eq:"10"']);
    expect(viewStateOf(contactListKind, state)).toEqual(view.state);
    expect(read(writeState(state))).toEqual(state);
  });

  it('has no unsaved changes until the filters, sort or columns differ', () => {
    const state = stateOfView(contactListKind, view);
    expect(differsFromView(contactListKind, state, view)).toBe(false);
    // The same stages in another order are the same view.
    expect(differsFromView(contactListKind, { ...state, filters: { ...state.filters, lifecycleStage: ['customer', 'lead'] } }, view)).toBe(false);
    expect(differsFromView(contactListKind, { ...state, filters: { ...state.filters, tag: ['vip', 'fair'] } }, view)).toBe(true);
    expect(differsFromView(contactListKind, { ...state, sort: 'name' }, view)).toBe(true);
    expect(differsFromView(contactListKind, { ...state, columns: ['name'] }, view)).toBe(true);
    expect(differsFromView(contactListKind, { ...state, q: 'ada' }, view)).toBe(true);
  });
});
