// Keyset pagination: a cursor is the (sort value, id) of the last row seen,
// opaque to clients. Keyset rather than OFFSET so page 1,000 of 100k contacts
// costs what page 1 costs.
export type Cursor = { v: string | number; id: string };

// Names in any script sort and page like ASCII ones: btoa takes Latin-1 only,
// so the JSON is kept ASCII with \u escapes. The alphabet is base64url (RFC
// 4648 §5), which a query string carries as it is ("+" would arrive as a space).
const NON_ASCII = /[\u0080-\uffff]/g;

export function encodeCursor(cursor: Cursor): string {
  const json = JSON.stringify([cursor.v, cursor.id]).replace(NON_ASCII, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return btoa(json).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

// What a cursor's text holds, unchecked (functions/schemas/cursor.ts checks
// it); undefined when it is not base64 of JSON at all.
export function decodeCursorText(text: string): unknown {
  try {
    return JSON.parse(atob(text.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return undefined;
  }
}
