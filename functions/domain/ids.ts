// Sortable text ids: a type prefix (so a stray id in a log says what it is)
// followed by a ULID (https://github.com/ulid/spec): 48-bit ms timestamp and
// 80 random bits in Crockford base32, so ids sort by creation time.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ID_PREFIXES = {
  workspace: 'ws',
  user: 'usr',
  membership: 'mem',
  invitation: 'inv',
  session: 'ses',
  apiKey: 'key',
  company: 'com',
  contact: 'con',
  activity: 'act',
  customField: 'cf',
  audit: 'aud',
  queueMessage: 'msg',
  savedView: 'view',
  bulkOperation: 'bulk',
  product: 'prd',
  order: 'ord',
  orderLine: 'orl',
  segment: 'seg',
  segmentationRun: 'run',
  import: 'imp',
  webhookSource: 'whs',
  webhookEvent: 'whe',
  webhookSubscription: 'wsub',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind, now = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(now)}`;
}

// A ULID's first ten characters: the millisecond it was made.
export function ulidTime(now: number): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

// Random bytes are drawn from the system a pool at a time: one call per
// id cost more than the rest of making it (7 µs of a CSV import's row).
const POOL = new Uint8Array(4096);
let pooled = POOL.length;

function randomPart(): string {
  if (pooled + 16 > POOL.length) {
    crypto.getRandomValues(POOL);
    pooled = 0;
  }
  let rand = '';
  for (let i = pooled; i < pooled + 16; i++) rand += ALPHABET[POOL[i]! % 32];
  pooled += 16;
  return rand;
}

export function ulid(now: number): string {
  return ulidTime(now) + randomPart();
}

// Ids for many records made at once, in ascending order: written in that
// order, each lands at the end of the id index instead of at a random
// place in it.
export function newIds(kind: IdKind, count: number, now = Date.now()): string[] {
  const prefix = `${ID_PREFIXES[kind]}_${ulidTime(now)}`;
  return Array.from({ length: count }, () => prefix + randomPart()).sort();
}

export function isIdOf(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}
