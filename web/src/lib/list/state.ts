// Relative imports, not $functions/$lib: test/unit/web imports this file
// under the root tsconfig, which knows no SvelteKit aliases.
import { z } from 'zod';
import { formatCustomCondition, parseCustomCondition, type CustomCondition } from '../../../../functions/domain/lists';

// zod compiles object parsers with new Function() unless told not to; the
// app's Content-Security-Policy allows no eval (and reports the attempt).
z.config({ jitless: true });

// A list's view state — filters, sort, search, visible columns, the trash,
// and the saved view it came from — lives in the URL and nowhere else, so a
// link shows what its sender saw. One zod schema per list reads it; what a
// stranger typed into the URL is dropped, never an error page.

// A filter the list's URL can carry: its query parameter, and whether it
// takes several values (?tag=a&tag=b) or one. The rest is for the filter
// bar (FilterBar.svelte): what a chip calls it, how it reads a value, and
// the control it gets — a date, or none where links set it (a company's
// people).
export type FilterParam = {
  name: string;
  multiple: boolean;
  values?: readonly string[];
  pattern?: RegExp;
  label?: string;
  valueLabel?: (value: string) => string;
  input?: 'date' | 'none';
};

// What differs from one list to another (lib/list/kinds.ts has contacts and
// companies).
export type ListKind = {
  filters: readonly FilterParam[];
  sorts: readonly string[];
  // The sort when the URL names none: with and without a search.
  defaultSort: (searching: boolean) => string;
};

export type ListState = {
  q?: string;
  // Each filter's values as the URL spells them; `cf` holds custom field
  // conditions (key:op:value, domain/lists.ts).
  filters: Record<string, string[]>;
  sort?: string;
  columns?: string[];
  // The saved view this state was opened from (provenance, not a filter).
  view?: string;
  trash: boolean;
};

const MAX_VALUES = 20;
const text = z.string().trim().min(1).max(200);
const columnKey = z.string().regex(/^(cf\.)?[A-Za-z][A-Za-z0-9_]*$/);

export function listStateSchema(kind: ListKind) {
  const filterShape: Record<string, z.ZodType<string[] | undefined>> = {};
  for (const filter of [...kind.filters, { name: 'cf', multiple: true } as FilterParam]) {
    const one = filter.values ? z.enum(filter.values as [string, ...string[]]) : filter.pattern ? text.regex(filter.pattern) : text;
    // Values that do not parse are dropped one by one; a one-value filter
    // keeps its first.
    filterShape[filter.name] = z
      .array(z.string())
      .transform((values) => {
        const good = values.filter((v) => one.safeParse(v).success && (filter.name !== 'cf' || parseCustomCondition(v)));
        const unique = [...new Set(good.map((v) => v.trim()))];
        return filter.multiple ? unique.slice(0, MAX_VALUES) : unique.slice(0, 1);
      })
      .optional();
  }
  return z.object({
    q: z.string().trim().max(200).optional().catch(undefined),
    filters: z.object(filterShape).transform((f) => {
      const out: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(f)) if (values?.length) out[name] = values;
      return out;
    }),
    sort: z.enum(kind.sorts as [string, ...string[]]).optional().catch(undefined),
    columns: z
      .string()
      .optional()
      .transform((cols) => {
        const keys = (cols ?? '').split(',').filter((k) => columnKey.safeParse(k).success);
        return keys.length ? [...new Set(keys)].slice(0, 40) : undefined;
      })
      .catch(undefined),
    view: z.string().regex(/^view_[0-9A-Z]{26}$/).optional().catch(undefined),
    trash: z.boolean(),
  });
}

// URL → state.
export function readState(kind: ListKind, params: URLSearchParams): ListState {
  const filters: Record<string, string[]> = {};
  for (const f of [...kind.filters, { name: 'cf' }]) {
    const values = params.getAll(f.name);
    if (values.length) filters[f.name] = values;
  }
  const state = listStateSchema(kind).parse({
    q: params.get('q') || undefined,
    filters,
    sort: params.get('sort') ?? undefined,
    columns: params.get('cols') ?? undefined,
    view: params.get('view') ?? undefined,
    trash: params.get('deleted') === 'true',
  });
  return { ...state, q: state.q || undefined };
}

// State → URL (the query string, without "?"). Parameters come in one
// order, so equal states make equal links.
export function writeState(state: ListState): string {
  const params = new URLSearchParams();
  if (state.view) params.set('view', state.view);
  if (state.q) params.set('q', state.q);
  for (const name of Object.keys(state.filters).sort()) for (const v of state.filters[name]!) params.append(name, v);
  if (state.sort) params.set('sort', state.sort);
  if (state.columns?.length) params.set('cols', state.columns.join(','));
  if (state.trash) params.set('deleted', 'true');
  return params.toString();
}

export const hrefOf = (path: string, state: ListState) => {
  const query = writeState(state);
  return query ? `${path}?${query}` : path;
};

export const isFiltered = (state: ListState) => !!state.q || Object.keys(state.filters).length > 0;

// The state less its filters and search (what "Clear filters" leaves).
export const cleared = (state: ListState): ListState => ({ ...state, q: undefined, filters: {}, view: undefined });

// The API's query for the list and its count: each filter by its name, a
// several-valued one as an array.
export function apiQuery(kind: ListKind, state: ListState): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (state.q) query.q = state.q;
  for (const [name, values] of Object.entries(state.filters)) {
    const multiple = name === 'cf' || kind.filters.find((f) => f.name === name)?.multiple;
    query[name] = multiple ? values : values[0]!;
  }
  if (state.trash) query.deleted = 'true';
  return query;
}

// The filter as JSON, as a bulk selection and a saved view hold it.
export type FilterJson = Record<string, string | string[] | CustomCondition[]>;

export function filterJson(kind: ListKind, state: ListState): FilterJson {
  const out: FilterJson = {};
  if (state.q) out.q = state.q;
  for (const [name, values] of Object.entries(state.filters)) {
    if (name === 'cf') {
      out.cf = values.map((v) => parseCustomCondition(v)).filter((c): c is CustomCondition => c !== null);
    } else {
      const multiple = kind.filters.find((f) => f.name === name)?.multiple;
      out[name] = multiple ? values : values[0]!;
    }
  }
  return out;
}

// A saved view's state, as the API holds it.
export type ViewState = { filters: Record<string, unknown>; sort?: string; columns?: string[] };

// A saved view → the list's state (then its URL), keeping its id.
export function stateOfView(kind: ListKind, view: { id: string; state: ViewState }): ListState {
  const params = new URLSearchParams();
  const { filters, sort, columns } = view.state;
  for (const [name, value] of Object.entries(filters)) {
    if (name === 'q' && typeof value === 'string') params.set('q', value);
    else if (name === 'cf' && Array.isArray(value)) for (const c of value) params.append('cf', formatCustomCondition(c as CustomCondition));
    else for (const v of [value].flat()) if (typeof v === 'string') params.append(name, v);
  }
  if (sort) params.set('sort', sort);
  if (columns?.length) params.set('cols', columns.join(','));
  return { ...readState(kind, params), view: view.id };
}

// The list's state → what a saved view stores.
export function viewStateOf(kind: ListKind, state: ListState): ViewState {
  return {
    filters: filterJson(kind, state),
    ...(state.sort ? { sort: state.sort } : {}),
    ...(state.columns?.length ? { columns: state.columns } : {}),
  };
}

// "Unsaved changes": the URL's filters, sort or columns differ from the
// view it was opened from. Compared through the URL both would write, so
// the order of values and spelling of conditions do not count.
export function differsFromView(kind: ListKind, state: ListState, view: { id: string; state: ViewState }): boolean {
  const normal = (s: ListState) => {
    const filters = Object.fromEntries(Object.entries(s.filters).map(([k, v]) => [k, [...v].sort()]));
    return writeState({ ...s, filters, view: undefined, trash: false });
  };
  return normal(state) !== normal(stateOfView(kind, view));
}

// The state with one one-valued filter set, or dropped when `value` is
// empty (a log's filter <select>).
export function withFilter(state: ListState, name: string, value: string): ListState {
  const filters = { ...state.filters };
  if (value) filters[name] = [value];
  else delete filters[name];
  return { ...state, filters };
}
