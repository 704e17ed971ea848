import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { exchangeRates, orderLines, orders, products } from './schema';
import { newId } from '../functions/domain/ids';
import { sortKey } from '../functions/domain/records';

// The demo shop (a coffee and tea retailer): a catalogue, and two years of
// orders shaped like a real shop's, so the dashboards have something to
// say. A few customers bring most of the revenue (lognormal spend); each
// buys at a rhythm of their own and some stop buying (At risk, Lost);
// December sells most and some products have a season; some products go
// together (beans with filters, tea with a pot) so cross-sell finds pairs;
// a few orders are refunded or cancelled; a sixth of the customers pay in
// EUR, with a rate to the reporting currency (USD).

type Category = { name: string; season: number[] };
// Demand per month of the year (Jan … Dec), 1 = an ordinary month.
const FLAT = [0.8, 0.8, 0.9, 0.9, 1, 1, 1, 1, 1, 1.1, 1.3, 1.9];
const SUMMER = [0.4, 0.4, 0.6, 0.9, 1.4, 2.2, 2.6, 2.4, 1.2, 0.6, 0.5, 0.6];
const WINTER = [1.5, 1.2, 0.9, 0.6, 0.4, 0.3, 0.3, 0.4, 0.7, 1.1, 1.6, 2.4];
const GIFTS = [0.3, 0.6, 0.3, 0.3, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 1.8, 5];
const CATEGORIES: Record<string, Category> = {
  coffee: { name: 'Coffee', season: FLAT },
  tea: { name: 'Tea', season: WINTER },
  iced: { name: 'Iced drinks', season: SUMMER },
  gear: { name: 'Brewing gear', season: FLAT },
  gifts: { name: 'Gift sets', season: GIFTS },
};

// [sku, name, category, price in cents, popularity, partner sku]
const CATALOGUE: [string, string, keyof typeof CATEGORIES, number, number, string?][] = [
  ['COF-ESP-1KG', 'Espresso beans 1 kg', 'coffee', 2890, 10, 'GEAR-FILT-100'],
  ['COF-FIL-500', 'Filter roast 500 g', 'coffee', 1490, 9, 'GEAR-FILT-100'],
  ['COF-DEC-500', 'Decaf 500 g', 'coffee', 1590, 3],
  ['COF-ETH-250', 'Ethiopia single origin 250 g', 'coffee', 1290, 5, 'GEAR-V60'],
  ['COF-COL-250', 'Colombia single origin 250 g', 'coffee', 1190, 5],
  ['TEA-EAR-100', 'Earl Grey 100 g', 'tea', 890, 6, 'GEAR-POT'],
  ['TEA-GRN-100', 'Sencha green tea 100 g', 'tea', 1190, 5, 'GEAR-POT'],
  ['TEA-CHAI-200', 'Masala chai 200 g', 'tea', 990, 4],
  ['TEA-MINT-50', 'Moroccan mint 50 g', 'tea', 690, 3],
  ['ICE-COLD-1L', 'Cold brew concentrate 1 l', 'iced', 1690, 4, 'ICE-GLASS'],
  ['ICE-TEA-1L', 'Iced peach tea 1 l', 'iced', 790, 3],
  ['ICE-GLASS', 'Double-walled glass', 'iced', 1490, 2],
  ['GEAR-FILT-100', 'Paper filters ×100', 'gear', 490, 6],
  ['GEAR-V60', 'Pour-over dripper', 'gear', 2490, 2, 'GEAR-FILT-100'],
  ['GEAR-GRIND', 'Burr grinder', 'gear', 8900, 1, 'COF-ESP-1KG'],
  ['GEAR-POT', 'Glass teapot', 'gear', 3490, 1],
  ['GEAR-MUG', 'Stoneware mug', 'gear', 1290, 3],
  ['GIFT-TASTE', 'Tasting box', 'gifts', 3990, 3, 'GEAR-MUG'],
  ['GIFT-ADVENT', 'Advent calendar of teas', 'gifts', 4490, 2],
  ['GIFT-DELUXE', 'Deluxe hamper', 'gifts', 12900, 1],
];

const DAY = 86_400_000;
const EUR_PER_USD = 0.93;
const CHUNK = 500;

export type OrderSeedOptions = { workspaceId: string; contactIds: string[]; now: number; rand: () => number };

export async function seedOrders(db: Db, { workspaceId, contactIds, now, rand }: OrderSeedOptions) {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const exponential = () => -Math.log(1 - rand());

  const catalogue = CATALOGUE.map(([sku, name, category, price, popularity, partner]) => ({
    id: newId('product', now - 800 * DAY),
    sku,
    name,
    category: CATEGORIES[category]!,
    price,
    popularity,
    partner,
  }));
  const bySku = new Map(catalogue.map((p) => [p.sku, p]));
  await db.insert(products).values(
    catalogue.map((p) => ({
      id: p.id,
      workspaceId,
      sku: p.sku,
      name: p.name,
      sortName: sortKey(p.name),
      category: p.category.name,
      description: null,
      price: p.price,
      currency: 'USD',
      active: true,
      tags: [],
      customFields: {},
      createdAt: now - 800 * DAY,
      updatedAt: now - 800 * DAY,
    })),
  );
  await db.insert(exchangeRates).values({ workspaceId, currency: 'EUR', rate: Number((1 / EUR_PER_USD).toFixed(4)), updatedAt: now });

  const pickProduct = (month: number) => {
    const weights = catalogue.map((p) => p.popularity * p.category.season[month]!);
    let x = rand() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < catalogue.length; i++) if ((x -= weights[i]!) <= 0) return catalogue[i]!;
    return catalogue[catalogue.length - 1]!;
  };

  const orderRows: (typeof orders.$inferInsert)[] = [];
  const lineRows: (typeof orderLines.$inferInsert)[] = [];
  // Four in five contacts have bought something.
  for (const contactId of contactIds.filter(() => rand() < 0.8)) {
    // Spend per basket: lognormal, so a few customers are worth many.
    const value = Math.exp(0.9 * normal());
    const eur = rand() < 1 / 6;
    // Days between purchases, shorter for bigger spenders.
    const gap = Math.min(240, Math.max(7, (55 * Math.exp(0.6 * normal())) / Math.pow(value, 0.35)));
    const start = now - Math.floor(Math.pow(rand(), 0.7) * 730 * DAY);
    // Some stop buying after a while: they become At risk, then Lost.
    const stopsAt = rand() < 0.4 ? start + exponential() * 260 * DAY : Infinity;
    for (let at = start; at < Math.min(now, stopsAt); ) {
      const month = new Date(at).getUTCMonth();
      orderRows.push(anOrder(contactId, at, eur, value, month));
      // The season speeds the rhythm up (December) or slows it down.
      const season = FLAT[month]!;
      at += Math.max(DAY, (gap * exponential() * DAY) / season);
    }
  }

  function anOrder(contactId: string, at: number, eur: boolean, value: number, month: number): typeof orders.$inferInsert {
    const id = newId('order', at);
    const basket = new Map<string, number>();
    const items = 1 + Math.floor(rand() * Math.min(4, 1 + value));
    for (let i = 0; i < items; i++) {
      const product = pickProduct(month);
      const quantity = 1 + Math.floor(rand() * Math.min(5, value));
      basket.set(product.sku, (basket.get(product.sku) ?? 0) + quantity);
      if (product.partner && rand() < 0.45) basket.set(product.partner, (basket.get(product.partner) ?? 0) + 1);
    }
    let subtotal = 0;
    [...basket].forEach(([sku, quantity], position) => {
      const product = bySku.get(sku)!;
      const unitPrice = eur ? Math.round(product.price * EUR_PER_USD) : product.price;
      subtotal += unitPrice * quantity;
      lineRows.push({ id: newId('orderLine', at), workspaceId, orderId: id, position, productId: product.id, sku, name: product.name, quantity, unitPrice, total: unitPrice * quantity });
    });
    const shipping = subtotal < 5000 ? 495 : 0;
    const total = subtotal + shipping;
    const fate = rand();
    const status = fate < 0.02 ? 'cancelled' : fate < 0.05 ? 'refunded' : at > now - 5 * DAY ? 'paid' : 'fulfilled';
    const refunded = status === 'refunded' ? total : fate < 0.08 ? Math.round(total * 0.3) : 0;
    return {
      id,
      workspaceId,
      contactId,
      externalId: `demo-${id.slice(4)}`,
      status,
      orderedAt: Math.floor(at),
      currency: eur ? 'EUR' : 'USD',
      subtotal,
      discount: 0,
      shipping,
      tax: 0,
      total,
      refunded,
      note: null,
      createdAt: Math.floor(at),
      updatedAt: Math.floor(at),
    };
  }

  for (let i = 0; i < orderRows.length; i += CHUNK) await db.insert(orders).values(orderRows.slice(i, i + CHUNK));
  for (let i = 0; i < lineRows.length; i += CHUNK) await db.insert(orderLines).values(lineRows.slice(i, i + CHUNK));
  await db.run(sql`analyze`);
  return { products: catalogue.length, orders: orderRows.length, lines: lineRows.length };
}
