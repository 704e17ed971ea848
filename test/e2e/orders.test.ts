import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { apiCall, signUpInBrowser, startStack } from './harness';

// Products and orders, the third and fourth lists, in Chromium: a product
// and an order made through their dialogs (the total as typed, then on the
// order's page), orders filtered by status, a bulk delete of products and
// its Undo, and the pages at phone width by keyboard.

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

let people = 0;
async function signUp(page: Page) {
  people += 1;
  await signUpInBrowser(page, stack.baseUrl, { name: 'Grace Hopper', email: `grace${people}@shop.example`, workspace: `Shop ${people}` });
}


async function created(page: Page, path: string, body: unknown): Promise<{ id: string }> {
  const res = await apiCall(page, 'POST', path, body);
  expect(res.status).toBe(201);
  return res.json;
}

const toast = (page: Page, text: string) => page.getByTestId('toast').filter({ hasText: text });
const usd = (major: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(major);

describe('products and orders', () => {
  it('creates a product, then an order of it for a contact, and shows the total as typed and on the order', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await signUp(page);
    await created(page, '/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' });

    await page.goto(`${stack.baseUrl}/products`);
    await page.getByTestId('new-product').click();
    const productForm = page.getByTestId('new-product-form');
    await productForm.getByLabel('Name').fill('Engine mug');
    await productForm.getByLabel('SKU').fill('MUG-1');
    await productForm.getByLabel('Price').fill('12.50');
    await page.getByTestId('create-product').click();
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(1);
    expect(await page.getByTestId('product-row').textContent()).toContain(usd(12.5));
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${stack.baseUrl}/orders`);
    await page.getByTestId('new-order').click();
    const form = page.getByTestId('new-order-form');
    await form.getByTestId('contact-picker').fill('Lovel');
    await expect.poll(() => form.getByRole('listbox', { name: 'People' }).getByRole('option').count()).toBe(1);
    await form.getByTestId('contact-picker').press('Enter');
    await expect.poll(() => form.getByTestId('order-customer').textContent()).toBe('Ada Lovelace');
    const product = form.getByTestId('line-product');
    await product.fill('MUG');
    // The catalogue's match is offered by SKU and name; choosing it brings its price.
    await expect.poll(() => form.locator('datalist option').count()).toBe(1);
    await product.fill((await form.locator('datalist option').getAttribute('value'))!);
    await expect.poll(() => form.getByTestId('line-price').inputValue()).toBe('12.50');
    await form.getByTestId('line-quantity').fill('3');
    await expect.poll(() => form.getByTestId('draft-total').textContent()).toBe(usd(37.5));
    await form.getByLabel('Shipping').fill('4.90');
    await expect.poll(() => form.getByTestId('draft-total').textContent()).toBe(usd(42.4));
    await page.getByTestId('create-order').click();
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(1);
    expect(await page.getByTestId('order-row').textContent()).toContain(usd(42.4));
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('order-row').getByRole('link').first().click();
    await page.waitForURL(/\/orders\/ord_/);
    await expect.poll(() => page.getByTestId('order-total').textContent()).toBe(usd(42.4));
    expect(await page.getByTestId('order-lines').textContent()).toContain('Engine mug');
    expect(await page.getByTestId('order-customer-link').getAttribute('href')).toMatch(/^\/contacts\/con_/);
    // No timeline for an order: no tabs and no note box.
    expect(await page.getByTestId('skip-to-note').count()).toBe(0);

    // The status edits in place.
    const summary = page.getByTestId('record-summary');
    await summary.getByTestId('edit-status').click();
    await summary.getByRole('combobox', { name: 'Status' }).selectOption('fulfilled');
    await expect.poll(() => summary.getByTestId('field-status').textContent()).toContain('Fulfilled');
    const { json: orders } = await apiCall(page, 'GET', '/api/orders');
    expect(orders.data[0]).toMatchObject({ status: 'fulfilled', total: 4240, shipping: 490, lines: [{ sku: 'MUG-1', quantity: 3, unitPrice: 1250 }] });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('filters orders by status', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    const contact = await created(page, '/api/contacts', { firstName: 'Alan', lastName: 'Turing' });
    const line = { name: 'Tape', quantity: 1, unitPrice: 500 };
    for (const [status, externalId] of [['paid', 'A-1'], ['cancelled', 'A-2'], ['refunded', 'A-3'], ['paid', 'A-4']]) {
      await created(page, '/api/orders', { contactId: contact.id, currency: 'USD', status, externalId, lines: [line] });
    }
    await page.goto(`${stack.baseUrl}/orders`);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(4);
    await page.getByTestId('status-filter').click();
    await page.getByRole('checkbox', { name: 'Cancelled' }).check();
    await page.waitForURL(/status=cancelled/);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(1);
    expect(await page.getByTestId('order-row').textContent()).toContain('Order A-2');
    await page.getByRole('checkbox', { name: 'Refunded' }).check();
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(2);
    await page.getByTestId('status-filter').click();
    await expect.poll(() => page.getByTestId('orders-count').textContent()).toContain('2 orders');
    await page.getByRole('button', { name: 'Remove filter Status: Cancelled' }).click();
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(1);
    await page.close();
  });

  it('takes a selection of products off sale, moves it to the trash, and brings it back with Undo', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    for (const sku of ['A', 'B', 'C']) await created(page, '/api/products', { sku, name: `Widget ${sku}`, price: 100, currency: 'EUR' });
    await page.goto(`${stack.baseUrl}/products`);
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(3);

    await page.getByTestId('select-page').check();
    await page.getByTestId('bulk-off-sale').click();
    await expect.poll(() => toast(page, 'Took off sale: 3 products').count()).toBe(1);
    expect((await apiCall(page, 'GET', '/api/products/count?active=false')).json).toEqual({ count: 3, capped: false });

    await page.getByRole('checkbox', { name: 'Select Widget A' }).check();
    await page.getByRole('checkbox', { name: 'Select Widget B' }).check();
    await page.getByTestId('bulk-delete').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => toast(page, 'Moved to the trash: 2 products').count()).toBe(1);
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(1);
    await toast(page, 'Moved to the trash').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => toast(page, 'Restored 2 products').count()).toBe(1);
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(3);
    await page.close();
  });

  it('works on a phone-sized screen with the keyboard alone', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signUp(page);
    const contact = await created(page, '/api/contacts', { firstName: 'Katherine', lastName: 'Johnson' });
    await page.goto(`${stack.baseUrl}/products`);
    await page.getByTestId('new-product').focus();
    await page.keyboard.press('Enter');
    // The dialog opens on its first field; Tab walks the rest.
    await page.keyboard.type('Slide rule');
    await page.keyboard.press('Tab');
    await page.keyboard.type('RULE-7');
    await page.keyboard.press('Tab');
    await page.keyboard.type('30');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    const order = await created(page, '/api/orders', {
      contactId: contact.id,
      currency: 'USD',
      lines: [{ sku: 'RULE-7', quantity: 2, unitPrice: 3000 }, { name: 'A very long description of gift wrapping with ribbon', quantity: 1, unitPrice: 250 }],
    });
    await page.goto(`${stack.baseUrl}/orders`);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('order-search');

    await page.goto(`${stack.baseUrl}/orders/${order.id}`);
    await expect.poll(() => page.getByTestId('order-lines').isVisible()).toBe(true);
    // Without a timeline there is nothing to tab between.
    expect(await page.getByTestId('tab-details').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByTestId('record-summary').getByTestId('edit-status').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await apiCall(page, 'GET', `/api/orders/${order.id}`)).json.status).toBe('fulfilled');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
