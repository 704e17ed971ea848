import { describe, expect, it } from 'vitest';
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
