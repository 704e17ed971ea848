import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import type { SentRequest } from './sender';

// The inbound bench's requests, made and signed before a run so the load
// generator only sends them: a mix of what marketing tools post, each with
// an id of its own (a resend would be a duplicate, not a new event), at
// the size those senders' bodies really are (600 B to 1.3 KB).
//   half   form fills signed per Standard Webhooks (one in five by someone
//          already in the workspace, the rest new leads);
//   3/10   Resend's email events through Svix (delivered, opened, clicked,
//          now and then a bounce);
//   1/5    Postmark's delivery and bounce records (basic auth, unsigned).

export type BenchSources = {
  form: { id: string; secret: string };
  svix: { id: string; secret: string };
  postmark: { id: string; secret: string };
};

export type RequestKind = 'form' | 'formKnown' | 'svix' | 'postmark';
export type Pool = { requests: SentRequest[]; counts: Record<RequestKind, number> };

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tony'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Hoare'];
const CAMPAIGNS = ['spring-launch-2026', 'webinar-pipeline-hygiene', 'retargeting-q4', 'newsletter-nov'];
const MESSAGE =
  'Hi, we are evaluating CRMs for a team of about forty people across sales and support. Could someone walk us through the import from our current tool, pricing for the marketing seats, and whether the webhooks can feed our form builder directly? Thanks!';
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';

function formFill(n: number, email: string, at: Date) {
  const [first, last] = [FIRST[n % FIRST.length]!, LAST[(n >> 3) % LAST.length]!];
  return {
    type: 'form.submitted',
    timestamp: at.toISOString(),
    data: {
      form_id: 'frm_contact_sales',
      form_name: 'Contact sales',
      submission_id: `sub_${n.toString(36).padStart(10, '0')}`,
      fields: {
        email,
        first_name: first,
        last_name: last,
        // A number of its own per fill: a shared one would find an earlier
        // lead, as it should, and the check counts a new person per fill.
        phone: `+44 7${String(Math.floor(n / 1e6) % 1000).padStart(3, '0')} ${String(n % 1e6).padStart(6, '0')}`,
        company: `${last} & Partners ${n % 500}`,
        job_title: 'Head of Operations',
        message: MESSAGE,
      },
      utm_source: n % 3 ? 'google' : 'linkedin',
      utm_medium: 'cpc',
      utm_campaign: CAMPAIGNS[n % CAMPAIGNS.length],
      landing_page: `https://www.relate.example/pricing?plan=team&utm_campaign=${CAMPAIGNS[n % CAMPAIGNS.length]}`,
      referrer: 'https://www.google.com/',
      ip: `203.0.113.${n % 250}`,
      user_agent: UA,
    },
  };
}

const RESEND = ['email.delivered', 'email.delivered', 'email.delivered', 'email.opened', 'email.opened', 'email.delivered', 'email.clicked', 'email.opened', 'email.delivered', 'email.bounced'];

function resendEvent(n: number, to: string, at: Date) {
  const type = RESEND[n % RESEND.length]!;
  return {
    type,
    created_at: at.toISOString(),
    data: {
      created_at: at.toISOString(),
      email_id: `${n.toString(16).padStart(8, '0')}-4f1c-4b7a-9a3e-5c6d7e8f9a0b`,
      from: 'Relate Newsletter <news@mail.relate.example>',
      to: [to],
      subject: 'Five ways to keep your pipeline clean this quarter',
      headers: [{ name: 'List-Unsubscribe', value: '<https://relate.example/u/abc>' }],
      tags: { campaign: 'newsletter-nov' },
      ...(type === 'email.clicked' ? { click: { link: 'https://relate.example/blog/pipeline', timestamp: at.toISOString(), ipAddress: '198.51.100.4', userAgent: UA } } : {}),
      ...(type === 'email.bounced' ? { bounce: { type: 'Transient', subType: 'MailboxFull', message: 'The recipient mailbox is full' } } : {}),
    },
  };
}

function postmarkRecord(n: number, to: string, at: Date) {
  const common = { MessageID: `${n.toString(16).padStart(8, '0')}-0a1b-4c2d-8e3f-405162738495`, Tag: 'newsletter-nov', MessageStream: 'broadcast', ServerID: 23, Metadata: { campaign: 'newsletter-nov', list: 'customers' } };
  if (n % 20 === 0) {
    return { ...common, RecordType: 'Bounce', ID: 4_000_000_000 + n, Type: 'HardBounce', TypeCode: 1, Name: 'Hard bounce', Email: to, From: 'news@mail.relate.example', BouncedAt: at.toISOString(), Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).', Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.', Inactive: true, CanActivate: true, Subject: 'Five ways to keep your pipeline clean' };
  }
  return { ...common, RecordType: 'Delivery', Recipient: to, DeliveredAt: at.toISOString(), Details: 'smtp;250 2.0.0 OK 1732963200 a1b2c3d4e5f6-ab12cd34ef56.123 - gsmtp' };
}

const KINDS: RequestKind[] = ['form', 'svix', 'form', 'postmark', 'form', 'svix', 'formKnown', 'svix', 'form', 'postmark'];

// `from` numbers the requests, so pools made for successive runs never
// share an id; `known` are addresses of people already in the workspace;
// `recipients` how many addresses the email events spread over.
export const kindOf = (n: number): RequestKind => KINDS[n % KINDS.length]!;

export function countKinds(from: number, count: number): Record<RequestKind, number> {
  const counts: Record<RequestKind, number> = { form: 0, formKnown: 0, svix: 0, postmark: 0 };
  for (let n = from; n < from + count; n++) counts[kindOf(n)]++;
  return counts;
}

// Requests numbered from `from`, signed CHUNK at a time just before they
// are sent: a run slower than the senders' five-minute tolerance would
// otherwise send stale signatures (and the pool of a long run would not
// fit in memory).
const CHUNK = 2_000;
export function signedOnDemand(sources: BenchSources, from: number, known: readonly string[]): (i: number) => SentRequest {
  const chunks = new Map<number, SentRequest[]>();
  return (i) => {
    const c = Math.floor(i / CHUNK);
    let chunk = chunks.get(c);
    if (!chunk) {
      chunk = makePool(sources, from + c * CHUNK, CHUNK, known).requests;
      chunks.set(c, chunk);
      chunks.delete(c - 2);
    }
    return chunk[i % CHUNK]!;
  };
}

// The first `count` requests signed before the run starts, so the load
// generator, which shares the machine's cores with the host, only sends
// them (signing costs it ~0.05 ms a request, a third of its CPU); any past
// those are signed on demand. `count` should stay well within what the
// host answers in the senders' five-minute tolerance.
export function preSigned(sources: BenchSources, from: number, count: number, known: readonly string[]): (i: number) => SentRequest {
  const pool = makePool(sources, from, count, known).requests;
  const rest = signedOnDemand(sources, from + count, known);
  return (i) => pool[i] ?? rest(i - count);
}

export function makePool(sources: BenchSources, from: number, count: number, known: readonly string[], recipients = 5_000): Pool {
  const form = new StandardWebhook(sources.form.secret);
  const svix = new SvixWebhook(sources.svix.secret);
  const basic = `Basic ${Buffer.from(sources.postmark.secret).toString('base64')}`;
  const at = new Date();
  const stamp = String(Math.floor(at.getTime() / 1000));
  const counts: Record<RequestKind, number> = { form: 0, formKnown: 0, svix: 0, postmark: 0 };
  const requests: SentRequest[] = [];
  for (let n = from; n < from + count; n++) {
    const kind = kindOf(n);
    counts[kind]++;
    const recipient = `reader${n % recipients}@example.net`;
    const base = { 'content-type': 'application/json', 'user-agent': 'bench-sender/1.0' };
    if (kind === 'form' || kind === 'formKnown') {
      const email = kind === 'form' ? `lead${n}@example.org` : known[n % known.length]!;
      const body = JSON.stringify(formFill(n, email, at));
      const id = `msg_bench_${n}`;
      requests.push({ path: `/webhooks/${sources.form.id}`, body, headers: { ...base, 'webhook-id': id, 'webhook-timestamp': stamp, 'webhook-signature': form.sign(id, at, body) } });
    } else if (kind === 'svix') {
      const body = JSON.stringify(resendEvent(n, recipient, at));
      const id = `msg_bench_${n}`;
      requests.push({ path: `/webhooks/${sources.svix.id}`, body, headers: { ...base, 'svix-id': id, 'svix-timestamp': stamp, 'svix-signature': svix.sign(id, at, body) } });
    } else {
      requests.push({ path: `/webhooks/${sources.postmark.id}`, body: JSON.stringify(postmarkRecord(n, recipient, at)), headers: { ...base, authorization: basic } });
    }
  }
  return { requests, counts };
}
