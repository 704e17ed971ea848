import { describe, expect, it } from 'vitest';
import { rememberedSources, type SourceRow } from '../../functions/services/webhooks/source-cache';

// functions/services/webhooks/source-cache.ts: a source read once is
// remembered for a while, read again when asked or when it is too old;
// unknown sources are not remembered.

function harness(options: { maxEntries?: number; maxAgeMs?: number } = {}) {
  const clock = { now: 1_000 };
  const table = new Map<string, SourceRow>();
  const reads: string[] = [];
  const lookup = rememberedSources(
    async (id) => {
      reads.push(id);
      return table.get(id);
    },
    { ...options, now: () => clock.now },
  );
  const put = (id: string, name = id) => table.set(id, { id, name } as SourceRow);
  return { clock, table, reads, lookup, put };
}

describe('rememberedSources', () => {
  it('reads a source once, then answers from memory, saying so', async () => {
    const h = harness();
    h.put('a');
    expect(await h.lookup.find('a')).toEqual({ source: expect.objectContaining({ id: 'a' }), remembered: false });
    h.put('a', 'renamed');
    expect(await h.lookup.find('a')).toEqual({ source: expect.objectContaining({ name: 'a' }), remembered: true });
    expect(h.reads).toEqual(['a']);
  });

  it('reads again when asked for a fresh row, and remembers that one', async () => {
    const h = harness();
    h.put('a');
    await h.lookup.find('a');
    h.put('a', 'renamed');
    expect((await h.lookup.find('a', { fresh: true }))?.source.name).toBe('renamed');
    expect(await h.lookup.find('a')).toEqual({ source: expect.objectContaining({ name: 'renamed' }), remembered: true });
    h.table.delete('a');
    expect(await h.lookup.find('a', { fresh: true })).toBeUndefined();
    expect(await h.lookup.find('a')).toBeUndefined();
    expect(h.reads).toEqual(['a', 'a', 'a', 'a']);
  });

  it('does not remember a source it did not find', async () => {
    const h = harness();
    expect(await h.lookup.find('b')).toBeUndefined();
    h.put('b');
    expect(await h.lookup.find('b')).toEqual({ source: expect.objectContaining({ id: 'b' }), remembered: false });
  });

  it('reads again a row older than its age limit', async () => {
    const h = harness({ maxAgeMs: 100 });
    h.put('a');
    await h.lookup.find('a');
    h.clock.now += 99;
    expect((await h.lookup.find('a'))?.remembered).toBe(true);
    h.clock.now += 1;
    expect((await h.lookup.find('a'))?.remembered).toBe(false);
    expect(h.reads).toEqual(['a', 'a']);
  });

  it('keeps at most its limit, forgetting the row read longest ago', async () => {
    const h = harness({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) h.put(id);
    for (const id of ['a', 'b', 'c']) await h.lookup.find(id);
    expect((await h.lookup.find('c'))?.remembered).toBe(true);
    expect((await h.lookup.find('b'))?.remembered).toBe(true);
    expect((await h.lookup.find('a'))?.remembered).toBe(false);
    // Reading `a` again forgot `b`, now the oldest.
    expect((await h.lookup.find('b'))?.remembered).toBe(false);
  });
});
