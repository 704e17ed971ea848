import type { webhookSources } from '../../../db/schema';

// Webhook sources as the Node host's intake remembers them. Reading the
// source was a sixth of a request's time on a serving thread (its pages
// read again after every commit of the writer, measured), for a row that
// changes a few times a year. A remembered row is never trusted alone:
//  - the writer stores a request only while the source's `updated_at` is
//    the one it was verified against (functions/node/event-group.ts), and
//    every change of a source moves it (services/webhooks/sources.ts), so a
//    disabled, deleted or rotated source refuses what a stale row let in;
//  - a request a remembered row refuses is checked again against the
//    database, so a sender already on a rotated secret is not refused.
// Unknown sources are not remembered: one created a moment ago is found.

export type SourceRow = typeof webhookSources.$inferSelect;
export type FoundSource = { source: SourceRow; remembered: boolean };

export type SourceLookup = {
  // The enabled source, read again when `fresh`.
  find(id: string, options?: { fresh?: boolean }): Promise<FoundSource | undefined>;
};

// At most this many rows, and none older than this: a source deleted or
// disabled leaves the memory by itself, not only when it refuses.
export const MAX_REMEMBERED = 1_000;
export const REMEMBER_MS = 60_000;

export function rememberedSources(
  read: (id: string) => Promise<SourceRow | undefined>,
  { maxEntries = MAX_REMEMBERED, maxAgeMs = REMEMBER_MS, now = Date.now }: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {},
): SourceLookup {
  // In the order they were read: the first is the oldest.
  const rows = new Map<string, { source: SourceRow; readAt: number }>();
  return {
    async find(id, { fresh = false } = {}) {
      const held = rows.get(id);
      if (held && !fresh && now() - held.readAt < maxAgeMs) return { source: held.source, remembered: true };
      rows.delete(id);
      const source = await read(id);
      if (!source) return undefined;
      rows.set(id, { source, readAt: now() });
      if (rows.size > maxEntries) rows.delete(rows.keys().next().value!);
      return { source, remembered: false };
    },
  };
}
