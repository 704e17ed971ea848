import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWorkspace } from '../../db/seed';
import { naiveScores } from '../fixtures/naive-scores';
import { axeViolations } from './axe';
import { signUpInBrowser, startStack } from './harness';

// The insights page in Chromium over the demo shop's orders (db/seed-orders.ts)
// with scores from the naive stand-in for the segmentation: every chart and
// its table drawn, a heat-map cell opening its customers, Chart.js fetched
// by this page only, at desktop and phone width, light and dark.

let stack: Awaited<ReturnType<typeof startStack>>;
const EMAIL = 'owner@insights.example';
const PASSWORD = 'a long enough passphrase';
beforeAll(async () => {
  stack = await startStack();
  const now = Date.now();
  const { workspaceId } = await seedWorkspace(stack.db, { workspaceName: 'Beans & Leaves', ownerEmail: EMAIL, ownerPassword: PASSWORD, contacts: 120, companies: 5, shop: true, now });
  await naiveScores(stack.db, workspaceId, now);
});
afterAll(async () => {
  await stack?.stop();
});

const SCREENSHOTS = join(import.meta.dirname, '../../test-results');
async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

async function signIn(page: Page) {
  await page.goto(`${stack.baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(/\/contacts/);
}

// The build's chunk that holds Chart.js, found by one of its messages.
const BUILD = join(import.meta.dirname, '../../web/build');
const isChartChunk = (url: string) => {
  const path = new URL(url).pathname;
  if (!path.startsWith('/_app/immutable/') || !path.endsWith('.js')) return false;
  return readFileSync(join(BUILD, path), 'utf8').includes('Canvas is already in use');
};

// A canvas Chart.js has drawn on has pixels that are not transparent.
const painted = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0));

describe('the insights page', () => {
  it('draws every chart with its table, and Chart.js is fetched by it, not by the contacts pages', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const scripts: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page);
    await page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.waitForLoadState('networkidle');
    expect(scripts.filter(isChartChunk), 'the contacts page fetched Chart.js').toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL(/\/insights/);
    for (const id of ['revenue-chart', 'rfm-grid', 'tier-chart', 'at-risk', 'products-chart', 'seasonality-chart', 'movements-chart']) {
      await page.getByTestId(id).waitFor();
    }

    // The tables hold the figures: twelve months, four tiers, 25 cells.
    expect(await page.getByTestId('revenue-chart').locator('tbody tr').count()).toBe(12);
    expect(await page.getByTestId('tier-chart').locator('tbody tr').count()).toBe(4);
    expect(await page.getByTestId('rfm-grid').locator('tbody a').count()).toBe(25);
    expect(await page.getByTestId('at-risk').locator('tbody tr').count()).toBeGreaterThan(0);
    for (const id of ['revenue-chart', 'rfm-grid', 'tier-chart', 'products-chart', 'seasonality-chart', 'movements-chart']) {
      await expect.poll(() => painted(page.getByTestId(id).locator('canvas')), { message: id }).toBe(true);
    }
    expect(scripts.filter(isChartChunk)).toHaveLength(1);

    // The toggle shows the table in the chart's place.
    const revenue = page.getByTestId('revenue-chart');
    await revenue.getByRole('button', { name: 'Show table' }).click();
    await expect.poll(() => revenue.locator('table').isVisible()).toBe(true);
    expect(await revenue.locator('canvas').isVisible()).toBe(false);
    await revenue.getByRole('button', { name: 'Show chart' }).click();

    await screenshot(page, 'insights-desktop.png');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the customers of a heat-map cell by mouse on the chart, and by keyboard from its table', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page);
    await page.goto(`${stack.baseUrl}/insights`);
    const canvas = page.getByTestId('rfm-grid').locator('canvas');
    await expect.poll(() => painted(canvas)).toBe(true);
    // The top right cell: the most recent (R 5) and best (FM 5) customers.
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.93, y: box.height * 0.08 } });
    await page.waitForURL(/\/contacts\?r=5&fm=5$/);

    await page.goBack();
    await page.getByTestId('rfm-cell-1-5').waitFor({ state: 'attached' });
    await page.getByTestId('rfm-cell-1-5').focus();
    await expect.poll(() => page.getByTestId('rfm-cell-1-5').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/contacts\?r=1&fm=5$/);
    await page.close();
  });

  it('filters by a period from the URL, and fits a phone in the dark scheme', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await signIn(page);
    const month = new Date().toISOString().slice(0, 7);
    await page.goto(`${stack.baseUrl}/insights?from=${month}&to=${month}`);
    await page.getByTestId('revenue-chart').waitFor().catch(() => page.getByTestId('revenue-empty').waitFor());
    expect(await page.getByTestId('period-from').inputValue()).toBe(month);
    const rows = await page.getByTestId('revenue-chart').locator('tbody tr').count().catch(() => 0);
    expect(rows).toBeLessThanOrEqual(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'insights-phone-dark.png');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('running the segmentation from Settings → Analytics', () => {
  it('runs now with a progress bar, then lists the run with its tiers and segments, as the scores in the database say', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page);
    await page.goto(`${stack.baseUrl}/settings/analytics`);
    await page.getByTestId('run-segmentation').click();
    // The run answers as started; the bar shows until the page's next look.
    await page.getByTestId('segmentation-progress').waitFor();
    expect(await page.getByRole('progressbar').getAttribute('max')).toBe('100');
    expect(await page.getByTestId('run-segmentation').isDisabled()).toBe(true);
    // The Node host's queue runs the job; the page follows it to the end.
    await expect.poll(() => page.getByRole('status').filter({ hasText: /Segmentation done/ }).count(), { timeout: 60_000 }).toBe(1);
    const toast = await page.getByRole('status').filter({ hasText: /Segmentation done/ }).textContent();
    const [{ n }] = (await stack.db.all(sql`select count(*) as n from customer_scores`)) as [{ n: number }];
    expect(n).toBeGreaterThan(50);
    expect(toast).toContain(`${n} customers scored`);
    const firstRun = page.getByTestId('segmentation-runs').locator('tbody tr').first();
    await expect.poll(() => firstRun.textContent()).toMatch(/Run now\s*Done/);
    expect(await firstRun.locator('td').nth(3).textContent()).toBe(n.toLocaleString('en-US'));
    const tierCustomers = await page.getByTestId('tier-shares').locator('tbody tr td:first-of-type').allTextContents();
    expect(tierCustomers.map(Number).reduce((a, b) => a + b, 0)).toBe(n);
    expect(await page.getByTestId('segment-shares').locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('the insights page of a new workspace', () => {
  it('says what fills each part: orders for revenue, a segmentation run for segments', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUpInBrowser(page, stack.baseUrl, { name: 'New Owner', email: 'new@insights.example', workspace: 'Empty Shop' });
    await page.goto(`${stack.baseUrl}/insights`);
    await expect.poll(() => page.getByTestId('revenue-empty').textContent()).toMatch(/Import orders/);
    expect(await page.getByTestId('scores-empty').textContent()).toMatch(/No segmentation run yet/);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
