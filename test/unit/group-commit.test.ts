import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupCommits } from '../../functions/node/group-commit';

// functions/node/group-commit.ts: the rows handed over while a write is
// under way go together in the next one, and each caller hears of its own.

type Row = { id: string };

// A writer whose writes the test finishes by hand, and a deferral it runs.
function harness(options: { maxRows?: number; fail?: (rows: Row[]) => boolean } = {}) {
  const writes: { rows: Row[]; finish: () => void }[] = [];
  const deferred: (() => void)[] = [];
  const write = groupCommits(
    (rows: Row[]) =>
      new Promise<string[]>((resolve, reject) => {
        writes.push({ rows, finish: () => (options.fail?.(rows) ? reject(new Error('disk full')) : resolve(rows.filter((r) => !r.id.startsWith('dup')).map((r) => r.id))) });
      }),
    { defer: (run) => deferred.push(run), maxRows: options.maxRows },
  );
  const turn = async () => {
    for (const run of deferred.splice(0)) run();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { write, writes, turn };
}

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe('groupCommits', () => {
  it('writes what arrived in one turn together, and what arrives during a write in the next', async () => {
    const h = harness();
    const a = h.write(rows('a'));
    const b = h.write(rows('b', 'dup-b'));
    expect(h.writes).toHaveLength(0);
    await h.turn();
    expect(h.writes.map((w) => w.rows.map((r) => r.id))).toEqual([['a', 'b', 'dup-b']]);
    const c = h.write(rows('c'));
    const d = h.write(rows('d'));
    await h.turn();
    expect(h.writes).toHaveLength(1);
    h.writes[0]!.finish();
    expect(await a).toEqual(['a']);
    expect(await b).toEqual(['b']);
    await h.turn();
    expect(h.writes.map((w) => w.rows.map((r) => r.id))).toEqual([['a', 'b', 'dup-b'], ['c', 'd']]);
    h.writes[1]!.finish();
    expect([await c, await d]).toEqual([['c'], ['d']]);
  });

  it('fails every caller of a failed write, and only them', async () => {
    const h = harness({ fail: (group) => group.some((r) => r.id === 'bad') });
    const failed = [h.write(rows('x')), h.write(rows('bad'))];
    await h.turn();
    const later = h.write(rows('y'));
    h.writes[0]!.finish();
    for (const result of failed) await expect(result).rejects.toThrow('disk full');
    await h.turn();
    h.writes[1]!.finish();
    expect(await later).toEqual(['y']);
  });

  it('never puts more than maxRows in a write, and every row is written once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 7, max: 20 }), async (sizes, maxRows) => {
        const h = harness({ maxRows });
        let n = 0;
        const results = sizes.map((size) => h.write(Array.from({ length: size }, () => ({ id: `r${n++}` }))));
        let finished = 0;
        while (finished < results.length) {
          await h.turn();
          for (const w of h.writes.slice(finished)) w.finish();
          finished = h.writes.length;
          if ((await Promise.race([Promise.all(results).then(() => true), new Promise((r) => setImmediate(() => r(false)))])) === true) break;
        }
        expect(h.writes.every((w) => w.rows.length <= maxRows)).toBe(true);
        expect(h.writes.flatMap((w) => w.rows.map((r) => r.id))).toEqual(Array.from({ length: n }, (_, i) => `r${i}`));
        expect((await Promise.all(results)).flat()).toHaveLength(n);
      }),
      { numRuns: 50 },
    );
  });
});
