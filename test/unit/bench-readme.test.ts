import { describe, expect, it } from 'vitest';
import { LISTS_END, LISTS_START, withListsSection } from '../bench/lists';
import { README_END, README_START, replaceBetweenMarkers } from '../bench/readme';

describe("the bench's block in the README", () => {
  it('replaces what is between its markers and nothing else', () => {
    const readme = `# Relate\n\nBefore.\n${README_START}\nold figures\n${README_END}\nAfter.\n`;
    expect(replaceBetweenMarkers(readme, 'new figures')).toBe(`# Relate\n\nBefore.\n${README_START}\nnew figures\n${README_END}\nAfter.\n`);
  });

  it('refuses a README without the markers rather than write figures nowhere', () => {
    expect(() => replaceBetweenMarkers('# Relate\n', 'figures')).toThrow(/lacks/);
  });
});

describe("the lists' section of results.md", () => {
  const section = (figures: string) => `${LISTS_START}\n${figures}\n${LISTS_END}`;

  it('is added at the end the first time, and replaced in place after that, leaving the API report alone', () => {
    const api = '# Relate API benchmark\n\n| list | 1,500 |\n';
    const first = withListsSection(api, section('old'));
    expect(first).toBe(`${api.trimEnd()}\n\n${section('old')}\n`);
    expect(withListsSection(first, section('new'))).toBe(`${api.trimEnd()}\n\n${section('new')}\n`);
  });
});
