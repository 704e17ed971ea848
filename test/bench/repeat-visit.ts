/**
 * What a browser downloads on a first visit and on a repeat visit, against the real Node host
 * in real Chromium: requests, how many reached the network, bytes on the wire (Chromium's
 * encodedDataLength: headers and body as sent, compressed or not).
 *
 *   npm run build:web && npx tsx test/bench/repeat-visit.ts
 *
 * A measurement to read, not a test: nothing here is asserted.
 */
import type { CDPSession, Page } from 'playwright-core';
import { signUpInBrowser, startStack } from '../e2e/harness';

type Row = { url: string; status: number; cached: boolean; bytes: number; encoding?: string };

async function recorder(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let rows = new Map<string, Row>();
  cdp.on('Network.requestServedFromCache', (e) => {
    rows.set(e.requestId, { url: '', status: 0, bytes: 0, ...rows.get(e.requestId), cached: true });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = e.response;
    const cached = !!(rows.get(e.requestId)?.cached || r.fromDiskCache || r.fromPrefetchCache);
    rows.set(e.requestId, { url: r.url, status: r.status, cached, bytes: 0, encoding: r.headers['content-encoding'] });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const row = rows.get(e.requestId);
    if (row) row.bytes = e.encodedDataLength;
  });
  return {
    reset: () => (rows = new Map()),
    report(label: string, base: string) {
      const all = [...rows.values()].filter((r) => r.url.startsWith('http'));
      const network = all.filter((r) => !r.cached);
      const files = network.filter((r) => !new URL(r.url).pathname.startsWith('/api/'));
      const bytes = (list: Row[]) => list.reduce((sum, r) => sum + r.bytes, 0).toLocaleString('en');
      console.log(`${label}: ${all.length} requests, ${network.length} over the network (${files.length} static files, ${bytes(files)} bytes; ${network.length - files.length} API calls), ${bytes(network)} bytes in all`);
      for (const r of network) console.log(`   ${r.status} ${String(r.bytes).padStart(7)} ${r.encoding ?? '-'} ${r.url.replace(base, '')}`);
    },
  };
}

const stack = await startStack();
try {
  const newcomer = await stack.browser.newPage();
  const first = await recorder(newcomer);
  await newcomer.goto(`${stack.baseUrl}/sign-in`);
  await newcomer.waitForLoadState('networkidle');
  first.report('First visit to /sign-in, empty cache', stack.baseUrl);

  const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const repeat = await recorder(page);
  await signUpInBrowser(page, stack.baseUrl, { name: 'Repeat Visitor', email: 'repeat@example.com', workspace: 'Repeat' });
  await page.goto(`${stack.baseUrl}/contacts`);
  await page.waitForLoadState('networkidle');
  repeat.reset();
  await page.goto(`${stack.baseUrl}/contacts`);
  await page.waitForLoadState('networkidle');
  repeat.report('Repeat visit to /contacts, signed in', stack.baseUrl);
} finally {
  await stack.stop();
}
