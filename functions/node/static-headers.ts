import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';

// The Node host serves web/build with the headers Cloudflare's static assets
// would: it reads the same build/_headers file (written by the web build,
// web/svelte.config.js: the SPA's Content-Security-Policy and its
// companions), so both hosts send one policy from one source.
//
// The file's format is Cloudflare's (developers.cloudflare.com/workers/
// static-assets/headers/): an unindented path pattern, then indented
// `Name: value` lines, or `! Name` to drop a header an earlier rule set.
// Patterns may use `*` (any run of characters) and `:name` (one segment).
// Every rule whose pattern matches the request path applies, in order.

export type HeaderRule = { pattern: RegExp; set: [string, string][]; unset: string[] };

export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const rule = rules[rules.length - 1];
    if (!/^\s/.test(raw) && line.startsWith('/')) {
      rules.push({ pattern: patternOf(line), set: [], unset: [] });
    } else if (rule && line.startsWith('!')) {
      rule.unset.push(line.slice(1).trim().toLowerCase());
    } else if (rule && line.includes(':')) {
      const colon = line.indexOf(':');
      rule.set.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    } else {
      // An absolute-URL pattern or a stray line: Cloudflare would skip it,
      // and a rule Node cannot mirror should not pass unnoticed.
      throw new Error(`_headers line ${index + 1} is not a path, a "Name: value" or a "! Name" line: ${line}`);
    }
  });
  return rules;
}

function patternOf(path: string): RegExp {
  const source = path
    .split(/(\*|:[A-Za-z]\w*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The headers the rules give a path; a header set twice carries both values, comma-joined. */
export function headersFor(rules: HeaderRule[], path: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const rule of rules.filter((r) => r.pattern.test(path))) {
    for (const name of rule.unset) headers.delete(name);
    for (const [name, value] of rule.set) headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return headers;
}

/** Middleware for the static site in `buildDir`, read once at start. */
export function staticHeaders(buildDir: string): MiddlewareHandler {
  const file = join(buildDir, '_headers');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`The web app's security headers (${file}) are missing: run \`npm run build:web\``, { cause: error });
  }
  const rules = parseHeadersFile(text);
  return async (c, next) => {
    await next();
    for (const [name, value] of headersFor(rules, c.req.path)) {
      // A rule's caching is for the file it names: a 404 in its place
      // (an old page asking for a chunk a new build dropped) is not kept.
      if (name === 'cache-control' && c.res.status >= 400) continue;
      c.res.headers.set(name, value);
    }
  };
}
