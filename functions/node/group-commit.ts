// Group commit: the rows handed to a writer while it is writing go
// together in its next transaction. A write starts on the turn of the
// event loop after the first row of a group arrives, so every row already
// delivered to this thread joins it; under light traffic a row waits for
// nothing, under heavy each commit carries what arrived during the last,
// and groups grow with the load while commits do not. A failed write fails
// every row it carried.

type NewRow = { id: string };

// Rows in one transaction at most: a bound on how long one commit holds
// the write lock.
export const MAX_GROUP_ROWS = 200;

type Waiting<R> = { rows: R[]; resolve: (ids: string[]) => void; reject: (error: unknown) => void };

export function groupCommits<R extends NewRow>(write: (rows: R[]) => Promise<string[]>, { defer = setImmediate as (run: () => void) => unknown, maxRows = MAX_GROUP_ROWS } = {}) {
  const waiting: Waiting<R>[] = [];
  let scheduled = false;
  let writing = false;

  const flush = async () => {
    scheduled = false;
    if (writing) return;
    writing = true;
    try {
      while (waiting.length > 0) {
        const group: Waiting<R>[] = [];
        let size = 0;
        while (waiting.length > 0 && (group.length === 0 || size + waiting[0]!.rows.length <= maxRows)) {
          const next = waiting.shift()!;
          group.push(next);
          size += next.rows.length;
        }
        try {
          const inserted = new Set(await write(group.flatMap((w) => w.rows)));
          for (const w of group) w.resolve(w.rows.filter((row) => inserted.has(row.id)).map((row) => row.id));
        } catch (error) {
          for (const w of group) w.reject(error);
        }
        // Let rows that arrived during that write be delivered first.
        if (waiting.length > 0) await new Promise<void>((resolve) => defer(resolve));
      }
    } finally {
      writing = false;
    }
  };

  return (rows: R[]): Promise<string[]> =>
    new Promise((resolve, reject) => {
      waiting.push({ rows, resolve, reject });
      if (!scheduled && !writing) {
        scheduled = true;
        defer(() => void flush());
      }
    });
}
