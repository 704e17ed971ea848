// Turns what a person typed into an FTS5 query for the trigram index: each
// word of 3+ characters must appear somewhere (AND), quoted so FTS5 syntax
// characters in the input are plain text. Returns null when no word is long
// enough for trigrams.
export function ftsQuery(input: string): string | null {
  const words = input
    .toLocaleLowerCase('en')
    .split(/\s+/)
    .filter((w) => [...w].length >= 3)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
}
