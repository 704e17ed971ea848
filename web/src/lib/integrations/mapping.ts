// Relative, not $functions: test/unit/web imports this file under the root
// tsconfig, which knows no SvelteKit aliases.
import type { FormField } from '../../../../functions/domain/webhooks/forms';

// A form source's mapping as the editor shows it: rows of "their field →
// our field". The API keys it the other way round (our field → where in
// their payload), one place per contact field.

export type MappingRow = { theirs: string; ours: FormField | '' };
export type Mapping = Partial<Record<FormField, string>>;

export const rowsOf = (mapping: Mapping): MappingRow[] =>
  Object.entries(mapping).map(([ours, theirs]) => ({ theirs: theirs ?? '', ours: ours as FormField }));

// The rows as the API takes them; half-filled rows are left out, and a
// contact field chosen twice is reported by its row (1-based).
export function mappingOf(rows: MappingRow[]): { mapping: Mapping } | { error: string } {
  const mapping: Mapping = {};
  for (const [i, row] of rows.entries()) {
    const theirs = row.theirs.trim();
    if (!theirs || !row.ours) continue;
    if (mapping[row.ours] !== undefined) return { error: `Row ${i + 1} maps a second field onto the same contact field` };
    mapping[row.ours] = theirs;
  }
  return { mapping };
}
