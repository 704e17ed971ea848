import { SvelteSet } from 'svelte/reactivity';
import { messageOf } from '$lib/api';

// A log read a page at a time (the event inbox, the delivery log): the
// rows so far and where the next page starts, replaced when the page's
// load (its URL) changes, grown by "Load more", read again from the top by
// "Refresh". `fetchPage` reads the current filters when it is called.
type Page<T> = { data: T[]; nextCursor: string | null };
type Extra = { cursor?: string; limit?: string };

// The API's largest page: a refresh reads at most this many again.
const MAX_PAGE = 200;

export class CursorRows<T extends { id: string }> {
  rows = $state<T[]>([]);
  cursor = $state<string | null>(null);
  loaded = $state(false);
  loadingMore = $state(false);
  error = $state<string | null>(null);
  // The first page this list shows: an answer for an older one is dropped.
  #first: Promise<Page<T>> | null = null;

  constructor(private readonly fetchPage: (extra: Extra) => Promise<Page<T>>) {}

  // Called by an $effect with the load's (not awaited) first page.
  start(first: Promise<Page<T>>) {
    this.#first = first;
    this.loaded = false;
    this.error = null;
    first.then(
      (p) => {
        if (this.#first !== first) return;
        this.rows = p.data;
        this.cursor = p.nextCursor;
        this.loaded = true;
      },
      (e) => {
        if (this.#first === first) this.error = messageOf(e);
      },
    );
  }

  async more() {
    if (!this.cursor || this.loadingMore) return;
    this.loadingMore = true;
    const first = this.#first;
    try {
      const next = await this.fetchPage({ cursor: this.cursor });
      if (this.#first !== first) return;
      this.rows = [...this.rows, ...next.data];
      this.cursor = next.nextCursor;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.loadingMore = false;
    }
  }

  // The rows shown so far, read again from the top.
  async refresh() {
    const first = this.#first;
    const again = await this.fetchPage({ limit: String(Math.min(MAX_PAGE, Math.max(50, this.rows.length))) });
    if (this.#first !== first) return;
    this.rows = again.data;
    this.cursor = again.nextCursor;
  }

  // Reads again, once a second, until `settled` holds for the rows of
  // `ids` (or `seconds` have gone by): a queue works on them meanwhile.
  async refreshUntil(ids: readonly string[], settled: (row: T) => boolean, onprogress: (done: number) => void, seconds = 30) {
    for (let tries = 0; tries < seconds; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await this.refresh();
      const done = this.rows.filter((r) => ids.includes(r.id) && settled(r)).length;
      onprogress(done);
      if (done === ids.length) return;
    }
  }
}

// The rows ticked for a bulk action, at most `max` (what the API takes at
// once); the owner clears it when its filters change.
export class Picks {
  ids = new SvelteSet<string>();
  constructor(readonly max: number) {}

  has = (id: string) => this.ids.has(id);
  toggle = (id: string) => (this.ids.has(id) ? this.ids.delete(id) : this.ids.add(id));
  clear = () => this.ids.clear();
  get size() {
    return this.ids.size;
  }
  allOf = (rows: readonly { id: string }[]) => rows.length > 0 && rows.every((r) => this.ids.has(r.id));
  toggleAll(rows: readonly { id: string }[]) {
    if (this.allOf(rows)) this.ids.clear();
    else for (const r of rows.slice(0, this.max)) this.ids.add(r.id);
  }
}
