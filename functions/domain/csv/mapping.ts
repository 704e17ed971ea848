// Which column of a file goes to which field, guessed from the headers:
// names compared without case, accents, spaces or punctuation ("E-mail
// address" is "emailaddress"), against each field's key, label and
// synonyms. Each field takes at most one column, the first that names it.

export type MappableField = { key: string; label: string; synonyms?: readonly string[] };

export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function suggestMapping(headers: readonly string[], fields: readonly MappableField[]): (string | null)[] {
  const byName = new Map<string, string>();
  for (const field of fields) {
    for (const name of [field.key, field.label, ...(field.synonyms ?? [])]) {
      const key = normalizeHeader(name);
      if (key && !byName.has(key)) byName.set(key, field.key);
    }
  }
  const taken = new Set<string>();
  return headers.map((header) => {
    const field = byName.get(normalizeHeader(header));
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}
