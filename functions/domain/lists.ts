// What the shared list works with, for every object that has one: how a
// filter on a custom field is written, how tags compare, how big a count
// gets before it is only a lower bound, and who may change a saved view.
import type { Role } from './permissions';

export const LIST_ENTITIES = ['contact', 'company', 'product', 'order'] as const;
export type ListEntity = (typeof LIST_ENTITIES)[number];

// A count stops at this many: past it, the list says "10,000+". Counting
// every row of a large filtered list reads every row; the first 10,001
// matches are found in a bounded walk (see the bench's "lists" section).
export const COUNT_CAP = 10_000;

// ---------------------------------------------------------------------------
// Custom field conditions. In a query string each is one `cf` parameter,
// `<key>:<op>:<value>`, the value JSON (a bare word is taken as text):
//   cf=tier:in:["gold","silver"]   select or multi-select: any of
//   cf=score:gte:10                number or date (YYYY-MM-DD) from
//   cf=score:lte:20                … to
//   cf=notes:contains:renewal      text containing, ignoring ASCII case
//   cf=region:eq:"emea"            equals (text ignoring ASCII case)
//   cf=vip:eq:true                 boolean
export const CUSTOM_FILTER_OPS = ['eq', 'contains', 'gte', 'lte', 'in'] as const;
export type CustomFilterOp = (typeof CUSTOM_FILTER_OPS)[number];
export type CustomCondition =
  | { key: string; op: 'eq'; value: string | number | boolean }
  | { key: string; op: 'contains'; value: string }
  | { key: string; op: 'gte' | 'lte'; value: string | number }
  | { key: string; op: 'in'; value: string[] };

export const CUSTOM_KEY = /^[a-z][a-z0-9_]{0,63}$/;

// The parts of one `cf` parameter, unchecked beyond its shape (the schema
// checks the value against the op); null when it is not `key:op:value`.
export function parseCustomCondition(text: string): { key: string; op: string; value: unknown } | null {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first <= 0 || second < 0) return null;
  const raw = text.slice(second + 1);
  let value: unknown = raw;
  if (raw !== '') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  return { key: text.slice(0, first), op: text.slice(first + 1, second), value };
}

// The inverse: what a client puts in the URL for a condition. Text that
// would read as another JSON value ("10", "true") is quoted.
export function formatCustomCondition(condition: CustomCondition): string {
  const { key, op, value } = condition;
  const plain = typeof value === 'string' && value !== '' && parseCustomCondition(`k:o:${value}`)?.value === value;
  return `${key}:${op}:${plain ? value : JSON.stringify(value)}`;
}

// ---------------------------------------------------------------------------
// Saved views: private to their owner, or shared with the workspace. A
// shared view is changed by the member who made it or by a manager or
// above (they keep the workspace's views in order); a private one only by
// its owner, and nobody else even sees it.
export const VIEW_VISIBILITIES = ['private', 'workspace'] as const;
export type ViewVisibility = (typeof VIEW_VISIBILITIES)[number];

const VIEW_KEEPERS: readonly Role[] = ['owner', 'admin', 'manager'];

export function canChangeView(view: { ownerId: string; visibility: ViewVisibility }, user: { userId: string; role: Role }): boolean {
  if (view.ownerId === user.userId) return true;
  return view.visibility === 'workspace' && VIEW_KEEPERS.includes(user.role);
}

// ---------------------------------------------------------------------------
// Bulk operations. A selection is a rule, never a list the browser built
// from everything that matched: some ids, or a filter less some ids.
export const BULK_ACTION_TYPES = ['addTags', 'removeTags', 'setOwner', 'setStage', 'delete'] as const;
export type BulkActionType = (typeof BULK_ACTION_TYPES)[number];
export const BULK_STATUSES = ['running', 'done', 'cancelled'] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];

// Rows per chunk: one batch (one round trip, one transaction) each. The
// request that starts an operation runs the first chunk itself, so a
// selection of up to this many is done when the answer arrives; a larger
// one continues as a queue job.
export const BULK_CHUNK = 500;
// The most ids a selection may name; "everything that matches" is a filter.
export const MAX_SELECTED_IDS = 1_000;

// Tags are matched without regard to case: "VIP" finds "vip". The key a tag
// is indexed and found by is the database's lower(), which folds ASCII
// letters only; tagKey is the same rule in JS.
export const tagKey = (tag: string) => tag.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

// Tags after adding some, compared without regard to ASCII case: a record
// that has "VIP" is not given "vip" as well. Mirrors the SQL the bulk job
// runs (services/bulk), for the record page and tests.

export function withTags(current: readonly string[], add: readonly string[]): string[] {
  const keys = new Set(current.map(tagKey));
  const out = [...current];
  for (const tag of add) {
    if (!keys.has(tagKey(tag))) {
      keys.add(tagKey(tag));
      out.push(tag);
    }
  }
  return out;
}

export function withoutTags(current: readonly string[], remove: readonly string[]): string[] {
  const keys = new Set(remove.map(tagKey));
  return current.filter((tag) => !keys.has(tagKey(tag)));
}
