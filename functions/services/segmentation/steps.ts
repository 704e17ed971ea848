import { sql, type SQL } from 'drizzle-orm';
import {
  customerScoreChanges,
  customerScores,
  orders,
  productAffinities,
  segmentationCustomers as staged,
  segmentationRuns as runs,
} from '../../../db/schema';
import { DAY_MS } from '../../domain/customer-value';
import { RUN_PHASES, type RunPhase } from '../../domain/rfm';
import { isPurchase, isPurchaseOf, netInReporting, segmentSql, type Factors } from './sql';
import { scoreCellsSql, segmentMovesSql } from './summaries';

// The phases of a run, in order. Each call of a phase's step is one chunk:
// a few statements sent as one batch (one transaction), guarded by the
// run's phase and cursor as the job read them, and ending with the
// statement that advances them. A chunk run twice, or by two consumers at
// once, therefore commits once: the second finds the cursor moved and every
// statement of its batch matches nothing.
export const PHASES = RUN_PHASES;
export type Phase = RunPhase;

export type RunState = {
  id: string;
  workspaceId: string;
  phase: Phase;
  cursor: string | null;
  asOf: number;
  windowDays: number;
  currency: string;
  factors: Factors;
  // The run's customers, counted as the aggregate phase ends.
  customers: number;
  // Written by the rank phase (rankCuts), read by the scores phase.
  cuts?: Cuts;
};

// Where the scores change, over the run's n customers in the order RANK()
// takes them: r, f and m hold, for s = 1..4, the value at position
// ceil(s·n/5) worst to best, and a customer strictly better than it scores
// above s (1 + ⌊5·(rank − 1)/n⌋ ≥ s + 1 exactly when at least ceil(s·n/5)
// customers are strictly worse). tiers holds the ceil(k·n/100)-th highest
// revenue for k = 1, 6, 26: at or above it is VIP, Main, Ordinary (domain
// tierOf). medianGap is the repeat customers' median own gap, as text with
// every digit (SQLite's JSON keeps 15).
export type Cuts = { r: number[]; f: number[]; m: number[]; tiers: number[]; medianGap?: string | null };

// `segmentsAfter`: in the segments phase, the last segment refreshed by
// this step (services/segments/refresh.ts ran before the batch), or null
// when every segment of the workspace is done.
export type StepContext = { run: RunState; now: number; chunk: number; segmentsAfter?: string | null };

// Most bought-together pairs kept per product (by lift, confidence, id).
export const PAIRS_PER_PRODUCT = 20;
// Pairs bought together fewer times than this are noise.
export const MIN_ORDERS_TOGETHER = 2;

const next = (phase: Phase) => PHASES[PHASES.indexOf(phase) + 1]!;
const since = (run: RunState) => run.asOf - run.windowDays * DAY_MS;

// True while the run is where the job saw it; every statement carries it.
function held({ run }: StepContext): SQL {
  return sql`exists (select 1 from ${runs} where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'running'
    and phase = ${run.phase} and coalesce(cursor, '') = ${run.cursor ?? ''})`;
}

const stagedOfRun = (run: RunState) => sql`workspace_id = ${run.workspaceId} and run_id = ${run.id}`;
const after = (run: RunState) => sql`contact_id > ${run.cursor ?? ''}`;

// The last contact id of the next `chunk` contacts in `ids` (a select of
// contact_id past the cursor, in order), or null when none is left.
const chunkEnd = (ids: SQL, chunk: number) => sql`(select max(contact_id) from (${ids} limit ${chunk}))`;

// Moves the run on: past `end` within the phase, or to the next phase (its
// cursor cleared) when `end` is null. `extra` sets more columns.
function advance(ctx: StepContext, end: SQL, processed: SQL, extra?: SQL): SQL {
  const { run, now } = ctx;
  const moreSet = extra ? sql`, ${extra}` : sql``;
  return sql`update ${runs} set
      cursor = ${end},
      phase = case when ${end} is null then ${next(run.phase)} else phase end,
      processed = case when ${end} is null then 0 else processed + ${processed} end,
      chunks = chunks + 1, updated_at = ${now}${moreSet}
    where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'running'
      and phase = ${run.phase} and coalesce(cursor, '') = ${run.cursor ?? ''}`;
}

// Per-customer figures for the next `chunk` customers: window and
// lifetime purchases and revenue, first and last purchase. One grouped
// pass over orders_ws_contact alone (it covers every column read), in
// contact order, that stops after `chunk` customers: the cursor then moves
// to the last one staged, so no statement has to find the chunk's end
// first. Contacts in the trash are not customers, checked once per
// customer rather than per order.
function aggregate(ctx: StepContext): SQL[] {
  const { run, chunk } = ctx;
  const net = netInReporting(run.currency, run.factors);
  const inWindow = sql`ordered_at > ${since(run)}`;
  const insert = sql`insert or ignore into ${staged} (workspace_id, run_id, contact_id, orders, revenue, lifetime_orders, lifetime_revenue,
      unpriced_orders, first_order_at, last_order_at, recency_days)
    select ${run.workspaceId}, ${run.id}, contact_id,
      sum(${inWindow}), coalesce(sum(case when ${inWindow} then ${net} end), 0),
      count(*), coalesce(sum(${net}), 0), sum(${net} is null), min(ordered_at), max(ordered_at),
      cast((${run.asOf} - max(ordered_at)) / ${DAY_MS} as integer)
    from ${orders} indexed by orders_ws_contact
    where workspace_id = ${run.workspaceId} and ${isPurchase} and ordered_at <= ${run.asOf} and ${after(run)} and ${held(ctx)}
    group by contact_id
    having exists (select 1 from contacts c where c.id = contact_id and c.workspace_id = ${run.workspaceId} and c.deleted_at is null)
    order by contact_id limit ${chunk}`;
  const end = sql`(select max(contact_id) from ${staged} where ${stagedOfRun(run)} and ${after(run)})`;
  const found = sql`(select count(*) from ${staged} where ${stagedOfRun(run)} and ${after(run)})`;
  const total = sql`customers = case when ${end} is null then (select count(*) from ${staged} where ${stagedOfRun(run)}) else customers end`;
  return [insert, advance(ctx, end, found, total)];
}

// The cut points of R, F, M and the tiers (Cuts) from one sort per measure
// over the run's customers (M and the tiers share revenue's), kept in the
// run's stats: the scores phase scores each chunk against them, so no
// staged row is written twice. The run's customers were counted as the
// aggregates ended, so the positions are known here; each sort keeps the
// values at its positions as an object by position, read back in the
// order asked (positions repeat for a handful of customers).
function rank(ctx: StepContext): SQL[] {
  const { run } = ctx;
  const n = run.customers;
  const quintiles = [1, 2, 3, 4].map((s) => Math.ceil((s * n) / 5));
  // The ceil(k·n/100)-th highest is, lowest first, at n + 1 − ceil(k·n/100).
  const tiers = [1, 6, 26].map((k) => n + 1 - Math.ceil((k * n) / 100));
  const picked = (column: string, order: 'asc' | 'desc', positions: number[]) =>
    sql`(select json_group_object(cast(k as text), v) from
      (select ${sql.raw(column)} as v, row_number() over (order by ${sql.raw(column)} ${sql.raw(order)}) as k from ${staged} where ${stagedOfRun(run)})
      where k in (${sql.raw([...new Set(positions)].join(', '))}))`;
  const values = (picked: string, positions: number[]) =>
    sql`json_array(${sql.join(positions.map((p) => sql`json_extract(${sql.raw(picked)}, ${`$."${p}"`})`), sql`, `)})`;
  const cuts = sql`(select json_object('r', ${values('r', quintiles)}, 'f', ${values('f', quintiles)}, 'm', ${values('m', quintiles)},
      'tiers', ${values('m', tiers)}, 'medianGap', (select printf('%!.17g', g) from (select ${medianGap(run)} as g) where g is not null))
    from (select ${picked('recency_days', 'desc', quintiles)} as r, ${picked('orders', 'asc', quintiles)} as f,
      ${picked('revenue', 'asc', [...quintiles, ...tiers])} as m))`;
  return [advance(ctx, sql`null`, sql`0`, sql`stats = json_patch(coalesce(stats, '{}'), json_object('cuts', json(${cuts})))`)];
}

// Each customer of the chunk scored against the run's cuts, as the staged
// row with its r, f, m, tier, segment, expected gap, churn risk and
// predicted value (domain/rfm.ts, domain/customer-value.ts).
// Each layer stays a subquery of its own (an OFFSET keeps SQLite from
// flattening it): flattened, every use of r, f, m or the gap repeats the
// expression that computes it, and the segment's CASE uses r and FM in each
// of its 25 branches (a chunk's select took 6 times as long).
const kept = sql` limit -1 offset 0`;

function scored(run: RunState, inChunk: SQL): SQL {
  const cuts = run.cuts;
  if (!cuts) throw new Error(`Run ${run.id} reached its scores without cut points`);
  const above = (column: string, op: '<' | '>', values: number[]) =>
    sql.join([sql`1`, ...values.map((v) => sql`(${sql.raw(column)} ${sql.raw(op)} ${v})`)], sql` + `);
  const [vip, main, ordinary] = cuts.tiers;
  const ownGap = sql`((last_order_at - first_order_at) * 1.0 / ${DAY_MS} / (lifetime_orders - 1))`;
  // json_patch drops a null member: no median is an absent one.
  const median = cuts.medianGap == null ? sql`null` : sql`${Number(cuts.medianGap)}`;
  const scoredRows = sql`select *, ${above('recency_days', '<', cuts.r)} as r, ${above('orders', '>', cuts.f)} as f, ${above('revenue', '>', cuts.m)} as m,
      case when revenue >= ${vip ?? 0} then 'vip' when revenue >= ${main ?? 0} then 'main' when revenue >= ${ordinary ?? 0} then 'ordinary' else 'scattered' end as tier,
      case when lifetime_orders > 1 then ${ownGap} else coalesce(${median}, ${run.windowDays} * 1.0) end as expected_gap_days
    from (select workspace_id, run_id, contact_id, orders, revenue, lifetime_orders, lifetime_revenue, first_order_at, last_order_at, recency_days
      from ${staged} where ${inChunk})${kept}`;
  const gap = sql`max(expected_gap_days, 1.0)`;
  const churn = sql`select *, cast(round(100 * (1 - exp(-max(0, recency_days / ${gap} - 1)))) as integer) as churn_risk from (${scoredRows})${kept}`;
  return sql`(select *, ${segmentSql()} as segment,
      cast(round(lifetime_revenue * 1.0 / lifetime_orders * (365 / ${gap}) * (1 - churn_risk / 100.0)) as integer) as predicted_value
    from (${churn}))`;
}

// The median of repeat customers' own gaps (mean of the middle two for an
// even count), or null when nobody has bought twice.
export function medianGap(run: Pick<RunState, 'id' | 'workspaceId'>): SQL {
  const ownGap = sql`((last_order_at - first_order_at) * 1.0 / ${DAY_MS} / (lifetime_orders - 1))`;
  const repeat = sql`from ${staged} where workspace_id = ${run.workspaceId} and run_id = ${run.id} and lifetime_orders > 1`;
  const n = sql`(select count(*) ${repeat})`;
  return sql`(select avg(g) from (select ${ownGap} as g ${repeat} order by g limit 2 - ${n} % 2 offset (${n} - 1) / 2))`;
}

const SCORE_COLUMNS = [
  'orders',
  'revenue',
  'lifetime_orders',
  'lifetime_revenue',
  'first_order_at',
  'last_order_at',
  'recency_days',
  'r',
  'f',
  'm',
  'segment',
  'tier',
  'churn_risk',
  'expected_gap_days',
  'predicted_value',
] as const;

// The score columns customer_scores' indexes hold (db/schema/scores.ts, and
// migration 0018's at-risk index): a row whose values there stay the same
// is updated in place, which writes no index entry.
const INDEXED: readonly (typeof SCORE_COLUMNS)[number][] = ['revenue', 'lifetime_revenue', 'last_order_at', 'r', 'f', 'm', 'segment', 'tier', 'churn_risk'];
const IN_PLACE = SCORE_COLUMNS.filter((c) => !INDEXED.includes(c));

// The next chunk of customers into customer_scores, with a history row for
// each whose segment, tier or scores changed (or who is new). New rows and
// rows whose indexed columns changed are written in full, maintaining the
// table's indexes; the others (most of a night's, whose recency and
// predicted value move while their segment and tier stay) take the run's
// id and their other figures in place.
function scores(ctx: StepContext): SQL[] {
  const { run, now, chunk } = ctx;
  const end = chunkEnd(sql`select contact_id from ${staged} where ${stagedOfRun(run)} and ${after(run)} order by contact_id`, chunk);
  const inChunk = sql`workspace_id = ${run.workspaceId} and run_id = ${run.id} and contact_id > ${run.cursor ?? ''} and contact_id <= ${end}`;
  const withOld = sql`from ${scored(run, inChunk)} s left join ${customerScores} c on c.workspace_id = s.workspace_id and c.contact_id = s.contact_id
    where ${held(ctx)}`;
  const history = sql`insert or ignore into ${customerScoreChanges}
      (workspace_id, contact_id, run_id, at, from_segment, to_segment, from_tier, to_tier, r, f, m, churn_risk)
    select s.workspace_id, s.contact_id, s.run_id, ${run.asOf}, c.segment, s.segment, c.tier, s.tier, s.r, s.f, s.m, s.churn_risk ${withOld}
      and (c.contact_id is null or c.segment is not s.segment or c.tier is not s.tier or c.r is not s.r or c.f is not s.f or c.m is not s.m)`;
  const list = (prefix: string) => sql.raw(SCORE_COLUMNS.map((c) => `${prefix}${c}`).join(', '));
  const differs = (old: string) => sql.raw(INDEXED.map((c) => `${old}.${c} is not s.${c}`).join(' or '));
  const upsert = sql`insert into ${customerScores} (workspace_id, contact_id, run_id, ${list('')}, updated_at)
    select s.workspace_id, s.contact_id, s.run_id, ${list('s.')}, ${now} ${withOld} and (c.contact_id is null or ${differs('c')})
    on conflict (workspace_id, contact_id) do update set run_id = excluded.run_id,
      ${sql.raw(SCORE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = excluded.updated_at`;
  // After the upsert: the rows it wrote carry the run's id already.
  const inPlace = sql`update ${customerScores} as c set run_id = s.run_id, ${sql.raw(IN_PLACE.map((col) => `${col} = s.${col}`).join(', '))}, updated_at = ${now}
    from ${scored(run, inChunk)} s
    where c.workspace_id = s.workspace_id and c.contact_id = s.contact_id and c.run_id <> s.run_id and not (${differs('c')}) and ${held(ctx)}`;
  const written = sql`(select count(*) from ${staged} where ${inChunk})`;
  return [history, upsert, inPlace, advance(ctx, end, written)];
}

// Scores of people who are no longer customers (trashed, orders cancelled
// or deleted): every score this run did not write, a chunk at a time.
function prune(ctx: StepContext): SQL[] {
  const { run, chunk } = ctx;
  const stale = sql`workspace_id = ${run.workspaceId} and run_id <> ${run.id}`;
  const end = chunkEnd(sql`select contact_id from ${customerScores} where ${stale} and ${after(run)} order by contact_id`, chunk);
  const remove = sql`delete from ${customerScores} where ${stale} and ${after(run)} and contact_id <= ${end} and ${held(ctx)}`;
  return [remove, advance(ctx, end, sql`0`)];
}

// Dynamic segments are refreshed against the new scores a few at a time
// by refreshWorkspaceSegments, before this batch (each segment is a batch
// of its own, and refreshing one twice changes nothing); the batch moves
// the cursor past them, or the run on when none are left.
function segments(ctx: StepContext): SQL[] {
  return [advance(ctx, ctx.segmentsAfter ? sql`${ctx.segmentsAfter}` : sql`null`, sql`0`)];
}

// Products bought together in the window's purchases: support, confidence
// (X → Y) and lift over orders with at least one catalogue line; pairs seen
// in fewer than MIN_ORDERS_TOGETHER orders are dropped and each product
// keeps its PAIRS_PER_PRODUCT best. One statement, then the last run's
// pairs that did not come back are removed.
function crossSell(ctx: StepContext): SQL[] {
  const { run } = ctx;
  const ws = run.workspaceId;
  // One pass over the window's purchases into (order, product) pairs, kept
  // as the rows' integer rowids so the sorts and the self-join below work
  // on small keys. The orders are walked in creation order
  // (orders_ws_created), which is their lines' order too: each next line is
  // near the last one read, where walking them by date jumps across the
  // whole table (three times the time, measured). Each order's lines come
  // from order_lines_ws_order_product alone, which holds their products.
  // CROSS JOIN keeps that order; left to itself the planner drives from the
  // lines.
  const baskets = sql`select distinct o.rowid as basket, p.rowid as product
    from ${orders} o indexed by orders_ws_created
      cross join ${sql.raw('order_lines l indexed by order_lines_ws_order_product')} on l.workspace_id = o.workspace_id and l.order_id = o.id
      cross join products p on p.id = l.product_id
    where o.workspace_id = ${ws} and ${isPurchaseOf('o')} and o.ordered_at > ${since(run)} and o.ordered_at <= ${run.asOf}`;
  const upsert = sql`with
      lines as materialized (${baskets}),
      total as (select count(distinct basket) as n from lines),
      bought as (select product, count(*) as c from lines group by product),
      pairs as (select a.product as x, b.product as y, count(*) as together
        from lines a join lines b on b.basket = a.basket and b.product <> a.product
        group by a.product, b.product having count(*) >= ${MIN_ORDERS_TOGETHER}),
      scored as (select x, y, together, together * 1.0 / n as support, together * 1.0 / px.c as confidence,
          (together * 1.0 / px.c) / (py.c * 1.0 / n) as lift
        from pairs join bought px on px.product = x join bought py on py.product = y, total),
      ranked as (select *, row_number() over (partition by x order by lift desc, confidence desc, y) as k from scored)
    insert into ${productAffinities} (workspace_id, product_id, other_product_id, run_id, orders_together, support, confidence, lift)
    select ${ws}, px.id, py.id, ${run.id}, together, support, confidence, lift
    from ranked join products px on px.rowid = x join products py on py.rowid = y where k <= ${PAIRS_PER_PRODUCT} and ${held(ctx)}
    on conflict (workspace_id, product_id, other_product_id) do update set run_id = excluded.run_id,
      orders_together = excluded.orders_together, support = excluded.support, confidence = excluded.confidence, lift = excluded.lift`;
  const stale = sql`delete from ${productAffinities} where workspace_id = ${ws} and run_id <> ${run.id} and ${held(ctx)}`;
  return [upsert, stale, advance(ctx, sql`null`, sql`0`)];
}

// The dashboards' summaries of the new scores rebuilt (summaries.ts), the
// run's figures (statsSql in runs.ts, which reads them), then done; the
// working set of this run and of any earlier run that did not finish is
// dropped.
function finish(ctx: StepContext, stats: SQL): SQL[] {
  const { run, now } = ctx;
  const done = sql`update ${runs} set stats = json_patch(coalesce(stats, '{}'), ${stats}), status = 'done', phase = 'done',
      cursor = null, processed = customers, chunks = chunks + 1, finished_at = ${now}, updated_at = ${now}
    where id = ${run.id} and workspace_id = ${run.workspaceId} and status = 'running' and phase = 'finish'`;
  const drop = sql`delete from ${staged} where workspace_id = ${run.workspaceId}
    and run_id not in (select id from ${runs} where workspace_id = ${run.workspaceId} and status = 'running')`;
  return [...scoreCellsSql(run.workspaceId, held(ctx)), ...segmentMovesSql(run.workspaceId, run.id, held(ctx)), done, drop];
}

export function stepStatements(ctx: StepContext, statsOf: (run: RunState, now: number) => SQL): SQL[] {
  switch (ctx.run.phase) {
    case 'aggregate':
      return aggregate(ctx);
    case 'rank':
      return rank(ctx);
    case 'scores':
      return scores(ctx);
    case 'prune':
      return prune(ctx);
    case 'segments':
      return segments(ctx);
    case 'cross_sell':
      return crossSell(ctx);
    case 'finish':
      return finish(ctx, statsOf(ctx.run, ctx.now));
    case 'done':
      return [];
  }
}
