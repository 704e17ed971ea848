import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpInBrowser, startStack } from './harness';

// The Node host serves the SPA with the headers web/svelte.config.js writes to build/_headers
// (the same file Cloudflare's static assets serve); real Chromium shows whether the policy lets
// the app run, and whether it stops what it should.
let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A page that records every Content-Security-Policy violation the browser reports. */
async function watchedPage() {
  const page = await stack.browser.newPage();
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  });
  return page;
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

const directives = (policy: string) => Object.fromEntries(policy.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
const inlineScriptHashes = (html: string) =>
  [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);

describe('the SPA document on the Node host', () => {
  it('carries the policy, with the hash of its inline boot script, on the root, on deep links and on its files', async () => {
    const root = await fetch(`${stack.baseUrl}/`);
    const html = await root.text();
    const hashes = inlineScriptHashes(html);
    expect(hashes).toHaveLength(1);
    const asset = /<link href="(\/_app\/immutable\/[^"]+\.js)" rel="modulepreload">/.exec(html)![1]!;

    for (const res of [root, await fetch(`${stack.baseUrl}/contacts/con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B`), await fetch(`${stack.baseUrl}${asset}`)]) {
      expect(directives(res.headers.get('content-security-policy') ?? ''), res.url).toMatchObject({
        'default-src': "'self'",
        'script-src': `'self' ${hashes[0]}`,
        'style-src': "'self'",
        'style-src-attr': "'unsafe-inline'",
        'object-src': "'none'",
        'frame-ancestors': "'none'",
      });
      expect(res.headers.get('x-frame-options'), res.url).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), res.url).toBe('strict-origin-when-cross-origin');
    }
  });

  it('lets the app run in Chromium without a single violation: sign up, add a contact, find it', async () => {
    const page = await watchedPage();
    await signUpInBrowser(page, stack.baseUrl, { name: 'Mary Jackson', email: 'mary@langley.example', workspace: 'Langley' });
    await page.getByTestId('new-contact').click();
    await page.getByTestId('new-contact-form').getByLabel('First name').fill('Dorothy');
    await page.getByTestId('create-contact').click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    await page.getByLabel('Search contacts').fill('doro');
    await page.waitForURL(/q=doro/);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it('stops another site from framing the app', async () => {
    const page = await stack.browser.newPage();
    await page.setContent(`<iframe src="${stack.baseUrl}/sign-in"></iframe>`);
    // Chromium replaces a frame it refuses to show with its own error page.
    await expect.poll(() => page.frames()[1]?.url()).toBe('chrome-error://chromewebdata/');
    await page.close();
  });

  it('renders the API reference under its own policy without a violation', async () => {
    const page = await watchedPage();
    await page.goto(`${stack.baseUrl}/api/docs`);
    await expect.poll(() => page.locator('.swagger-ui .info .title').textContent()).toContain('Relate API');
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
