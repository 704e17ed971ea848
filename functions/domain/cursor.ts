// Keyset pagination: a cursor is the (sort value, id) of the last row seen,
// opaque to clients. Keyset rather than OFFSET so page 1,000 of 100k contacts
// costs what page 1 costs.
export type Cursor = { v: string | number; id: string };

export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.v, cursor.id])).replace(/=+$/, '');
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(atob(text));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [v, id] = parsed;
    if ((typeof v !== 'string' && typeof v !== 'number') || typeof id !== 'string') return null;
    return { v, id };
  } catch {
    return null;
  }
}
