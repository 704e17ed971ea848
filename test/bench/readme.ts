import { readFileSync, writeFileSync } from 'node:fs';

// The README quotes the benchmark between these two lines; a full-size run
// rewrites what is between them and nothing else.
export const README_START = '<!-- bench:start (written by npm run bench) -->';
export const README_END = '<!-- bench:end -->';

export function replaceBetweenMarkers(text: string, block: string): string {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the lines ${README_START} … ${README_END}`);
  return `${text.slice(0, start + README_START.length)}\n${block}\n${text.slice(end)}`;
}

export function writeReadmeSummary(path: string, block: string) {
  writeFileSync(path, replaceBetweenMarkers(readFileSync(path, 'utf8'), block));
}
