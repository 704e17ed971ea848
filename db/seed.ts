import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { activities, companies, contacts, memberships, users, workspaces } from './schema';
import { newId } from '../functions/domain/ids';
import { seedOrders } from './seed-orders';
import { hashPassword } from '../functions/domain/passwords';
import {
  CHANNELS,
  CONSENT_STATUSES,
  LIFECYCLE_STAGES,
  contactSearchText,
  sortKey,
} from '../functions/domain/records';

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia', 'John', 'Hedy', 'Edsger', 'Joan', 'Donald', 'Annie', 'Claude', 'Sophie', 'Yukihiro', 'Mary', 'Guido', 'Anita', 'Bjarne', 'Shafi', 'Niklaus', 'Jean', 'Vint', 'Carol'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Ritchie', 'Allen', 'Thompson', 'Perlman', 'McCarthy', 'Lamarr', 'Dijkstra', 'Clarke', 'Knuth', 'Easley', 'Shannon', 'Wilson', 'Matsumoto', 'Jackson', 'van Rossum', 'Borg', 'Stroustrup', 'Goldwasser', 'Wirth', 'Bartik', 'Cerf', 'Shaw'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Hooli', 'Vandelay', 'Wonka', 'Aperture', 'Black Mesa', 'Oscorp'];
const COMPANY_KINDS = ['Labs', 'Systems', 'Foods', 'Logistics', 'Bank', 'Studios', 'Health', 'Energy'];
const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Finance', 'Healthcare', 'Media', 'Logistics', 'Energy'];
const SOURCES = ['website', 'referral', 'event', 'webinar', 'cold call', 'partner', 'advert'];
const TAGS = ['vip', 'newsletter', 'trial', 'enterprise', 'smb', 'churn-risk', 'partner'];

// A small deterministic PRNG (mulberry32), so demo data and benchmarks are
// the same on every machine.
function random(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedOptions = {
  workspaceName: string;
  ownerEmail: string;
  ownerPassword: string;
  ownerName?: string;
  contacts: number;
  companies: number;
  notes?: number;
  // A product catalogue and two years of orders (db/seed-orders.ts).
  shop?: boolean;
  now?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
};

// Rows per INSERT: SQLite allows 32,766 bound parameters; a contact row has
// 26 columns.
const CHUNK = 500;

export async function seedWorkspace(db: Db, options: SeedOptions) {
  const rand = random(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const now = options.now ?? Date.now();
  const userId = newId('user', now);
  const workspaceId = newId('workspace', now);
  await db.batch([
    db.insert(users).values({
      id: userId,
      email: options.ownerEmail,
      name: options.ownerName ?? 'Demo Owner',
      passwordHash: await hashPassword(options.ownerPassword),
      createdAt: now,
    }),
    db.insert(workspaces).values({ id: workspaceId, name: options.workspaceName, createdAt: now }),
    db.insert(memberships).values({ workspaceId, userId, role: 'owner', createdAt: now }),
  ]);

  const companyRows = Array.from({ length: options.companies }, (_, i) => {
    const name = `${pick(COMPANY_WORDS)} ${pick(COMPANY_KINDS)}${i >= COMPANY_WORDS.length ? ` ${i}` : ''}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
    const createdAt = now - Math.floor(rand() * 365 * 86_400_000);
    return {
      id: newId('company', createdAt),
      workspaceId,
      name,
      sortName: sortKey(name),
      domain,
      website: `https://${domain}`,
      industry: pick(INDUSTRIES),
      employees: Math.floor(rand() * 5000) + 1,
      phone: null,
      address: { city: pick(['London', 'Berlin', 'Lisbon', 'Austin', 'Osaka', 'Nairobi']), country: pick(['GB', 'DE', 'PT', 'US', 'JP', 'KE']) },
      description: null,
      ownerId: userId,
      tags: [],
      customFields: {},
      createdAt,
      updatedAt: createdAt,
    };
  });
  for (let i = 0; i < companyRows.length; i += CHUNK) {
    await db.insert(companies).values(companyRows.slice(i, i + CHUNK));
  }

  const contactIds: string[] = [];
  for (let i = 0; i < options.contacts; i += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, options.contacts - i) }, (_, j) => {
      const n = i + j;
      const firstName = pick(FIRST);
      const lastName = pick(LAST);
      const company = companyRows.length ? companyRows[Math.floor(rand() * companyRows.length)]! : null;
      const emails = [{ address: `${firstName}.${lastName}.${n}@example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''), label: 'work' }];
      const phones = rand() < 0.6 ? [{ number: `+44 20 7946 ${String(n % 10_000).padStart(4, '0')}`, label: 'work' }] : [];
      const createdAt = now - Math.floor(rand() * 365 * 86_400_000);
      const consent = pick(CONSENT_STATUSES);
      const id = newId('contact', createdAt);
      contactIds.push(id);
      return {
        id,
        workspaceId,
        firstName,
        lastName,
        sortName: sortKey(firstName, lastName),
        emails,
        phones,
        address: null,
        jobTitle: pick(['CEO', 'CTO', 'Buyer', 'Head of Sales', 'Engineer', 'Office Manager', null]),
        companyId: company?.id ?? null,
        ownerId: userId,
        lifecycleStage: pick(LIFECYCLE_STAGES),
        leadSource: pick(SOURCES),
        tags: rand() < 0.4 ? [pick(TAGS)] : [],
        preferredChannel: pick(CHANNELS),
        emailConsent: consent,
        emailConsentAt: consent === 'unknown' ? null : createdAt,
        emailConsentMethod: consent === 'unknown' ? null : 'web form',
        softData: {},
        customFields: {},
        searchText: contactSearchText({ firstName, lastName, emails, phones, companyName: company?.name }),
        createdAt,
        updatedAt: createdAt,
      };
    });
    await db.insert(contacts).values(rows);
    options.onProgress?.(i + rows.length, options.contacts);
  }

  const notes = Array.from({ length: Math.min(options.notes ?? 0, contactIds.length) }, (_, i) => ({
    id: newId('activity', now - i * 60_000),
    workspaceId,
    type: 'note' as const,
    subject: null,
    body: pick(['Called about renewal; call back next week.', 'Interested in the enterprise plan.', 'Met at the Lisbon trade fair.', 'Asked for a quote for 40 seats.']),
    contactId: contactIds[i]!,
    companyId: null,
    authorId: userId,
    occurredAt: now - i * 60_000,
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < notes.length; i += CHUNK) await db.insert(activities).values(notes.slice(i, i + CHUNK));
  if (options.shop) await seedOrders(db, { workspaceId, contactIds, now, rand });
  // Fresh statistics let SQLite's planner pick the workspace indexes.
  await db.run(sql`analyze`);
  return { workspaceId, userId };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(workspaces);
  return (row?.n ?? 0) === 0;
}
