import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import adapter from '@sveltejs/adapter-static';

// The SPA document's security headers. SvelteKit hashes the page's inline
// boot script into kit.csp's script-src and writes the policy into a <meta>
// tag, which can neither forbid framing nor cover the other headers; so the
// build also writes it, with frame-ancestors and its companions, to
// build/_headers. Cloudflare's static assets serve that file's rules on
// every page and file (the SPA fallback included), and the Node host reads
// the same file (functions/node/static-headers.ts).
const POLICY = {
  'default-src': ['self'],
  'script-src': ['self'],
  'style-src': ['self'],
  // Style attributes only, which can neither load nor run anything: SvelteKit's
  // route announcer and app.html's root element carry one each.
  'style-src-attr': ['unsafe-inline'],
  // The favicon is a data: URI in app.html.
  'img-src': ['self', 'data:'],
  'connect-src': ['self'],
  'font-src': ['self'],
  'object-src': ['none'],
  'base-uri': ['self'],
  'form-action': ['self'],
};

const HEADERS = {
  // frame-ancestors is the modern form; X-Frame-Options covers browsers
  // that predate it. Nobody has a reason to frame a CRM (clickjacking).
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  // Record URLs carry ids; other sites learn only our origin.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** @param {import('@sveltejs/kit').Adapter} base @returns {import('@sveltejs/kit').Adapter} */
function withSecurityHeaders(base) {
  return {
    ...base,
    async adapt(builder) {
      await base.adapt(builder);
      const page = readFileSync(join(BUILD, 'index.html'), 'utf8');
      const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(page)?.[1];
      if (!policy) throw new Error('The built SPA page carries no Content-Security-Policy to serve as a header');
      const headers = { 'Content-Security-Policy': `${policy}; frame-ancestors 'none'`, ...HEADERS };
      const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
      writeFileSync(
        join(BUILD, '_headers'),
        ['# Written by web/svelte.config.js at build time.', '/*', ...lines, '', IMMUTABLE, `  Cache-Control: ${IMMUTABLE_CACHE}`, ''].join('\n'),
      );
      // The .br and .gz copies are for the Node host; Cloudflare compresses
      // on its own, and would otherwise upload them as files of their own.
      writeFileSync(join(BUILD, '.assetsignore'), ['*.br', '*.gz', ''].join('\n'));
    },
  };
}

const BUILD = 'build';

// Files under _app/immutable/ are named by a hash of their content: a new
// build writes new names, so a browser may keep these for a year without
// asking again. Every other file (index.html, version.json, the API
// reference's assets) keeps the hosts' default: kept, but revalidated on
// each use (an ETag and a 304). Both hosts serve this rule.
const IMMUTABLE = '/_app/immutable/*';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // An SPA: the Worker and the Node host serve build/ and answer every
    // unknown path with index.html, which boots the router.
    // precompress: a best-quality .br and .gz beside each text file, made
    // once here rather than on every request (functions/node/static-files.ts).
    adapter: withSecurityHeaders(adapter({ pages: BUILD, assets: BUILD, fallback: 'index.html', precompress: true })),
    csp: { mode: 'hash', directives: POLICY },
    // Deep links like /contacts/con_… load the fallback page, so assets must
    // be addressed from the root, not relative to the URL.
    paths: { relative: false },
    // The UI imports the API's types and its domain constants (roles, the
    // permission matrix, lifecycle stages) instead of restating them.
    alias: { $functions: '../functions' },
  },
};
