import { and, eq, isNull, ne, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { companies, contactProductPurchases, contactPurchaseTotals, contacts, customerScores, orderLines, orders, products, recordTags } from '../../../db/schema';
import {
  CUSTOM_PREFIX,
  DAY_MS,
  fieldSpec,
  type Context,
  type FieldSpec,
  type Money,
  type SegmentCondition,
  type SegmentDefinition,
  type SegmentNode,
} from '../../domain/segments';
import type { Scoper } from '../workspace-data';
import { byType, fold, holdsForNull, holdsForNumber, instantOp, jsonList, numberOp } from './operators';

// A definition as one SQL condition over `contacts`. Every field and
// operator comes from the registry (domain/segments.ts) and maps to SQL
// written here; every value the user sent is a bound parameter; every
// table read beside contacts is narrowed by the workspace's scoper. The
// definition must have passed checkDefinition first.
//
// The operators' SQL is in operators.ts; a negated one also holds where a
// value is missing: "industry is not Retail" includes contacts without a
// company.

export type CompileContext = Context & { scope: Scoper; now: number };

// A custom value, NULL unless stored with its field's JSON type, so a
// number field holding text matches no comparison.
const JSON_TYPES: Record<string, string[]> = { text: ['text'], number: ['integer', 'real'], date: ['text'], enum: ['text'], boolean: ['true', 'false'], tags: ['array'] };

function customCondition(spec: FieldSpec, c: SegmentCondition, now: number): SQL {
  const path = `$."${spec.key.slice(CUSTOM_PREFIX.length)}"`;
  const types = JSON_TYPES[spec.type]!;
  const typed = sql`json_type(${contacts.customFields}, ${path}) in ${jsonList(types)}`;
  const expr = sql`(case when ${typed} then json_extract(${contacts.customFields}, ${path}) end)`;
  return byType(spec, expr, c, now, true);
}

function emailCondition(c: SegmentCondition): SQL {
  const address = sql`lower(json_extract(value, '$.address'))`;
  const some = (match: SQL) => sql`exists (select 1 from json_each(${contacts.emails}) where ${match})`;
  switch (c.operator) {
    case 'is':
      return some(sql`${address} = ${fold(c.value)}`);
    case 'is_not':
      return sql`not ${some(sql`${address} = ${fold(c.value)}`)}`;
    case 'any_of':
      return some(sql`${address} in ${jsonList((c.value as string[]).map(fold))}`);
    case 'contains':
      return some(sql`instr(${address}, ${fold(c.value)}) > 0`);
    case 'starts_with':
      return some(sql`instr(${address}, ${fold(c.value)}) = 1`);
    case 'is_empty':
      return sql`json_array_length(${contacts.emails}) = 0`;
    default:
      return sql`json_array_length(${contacts.emails}) > 0`;
  }
}

// A contact's tags through the record_tags index (migration 0007's
// triggers keep it; its key is lower(tag), the same folding as the
// compiler's), so a tag is found by index instead of in every contact's JSON.
function contactTagCondition(c: SegmentCondition, scope: Scoper): SQL {
  const keys = jsonList((c.value as string[]).map(fold));
  const tagged = sql`${contacts.id} in (select ${recordTags.recordId} from ${recordTags} where ${scope(
    recordTags,
    and(eq(recordTags.entity, 'contact'), eq(recordTags.live, true), sql`${recordTags.key} in ${keys}`),
  )})`;
  return c.operator === 'any_of' ? tagged : sql`not ${tagged}`;
}

const CONTACT_COLUMNS: Record<string, SQLWrapper> = {
  'contact.name': sql`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`,
  'contact.lifecycleStage': contacts.lifecycleStage,
  'contact.owner': contacts.ownerId,
  'contact.company': contacts.companyId,
  'contact.tags': contacts.tags,
  'contact.leadSource': contacts.leadSource,
  'contact.emailConsent': contacts.emailConsent,
  'contact.createdAt': contacts.createdAt,
};
const COMPANY_COLUMNS: Record<string, SQLWrapper> = {
  'company.name': companies.name,
  'company.industry': companies.industry,
  'company.employees': companies.employees,
  'company.tags': companies.tags,
};
const SCORE_COLUMNS: Record<string, SQLWrapper> = {
  'scores.segment': customerScores.segment,
  'scores.tier': customerScores.tier,
  'scores.r': customerScores.r,
  'scores.f': customerScores.f,
  'scores.m': customerScores.m,
  'scores.churnRisk': customerScores.churnRisk,
  'scores.lifetimeRevenue': customerScores.lifetimeRevenue,
  'scores.predictedValue': customerScores.predictedValue,
};

// Conditions on other tables are compiled as sets, each evaluated once
// per query: `contacts.id in (the contacts for whom it holds)`, never a
// subquery run again for every contact (at 100k contacts and 1M orders
// that was 100k index walks, most of a second). A contact without a row
// there (no purchases, no scores) has no value, which some operators
// accept ("spent ≤ 100", "segment is not At risk"): then the set is of
// those for whom it fails, and the condition is `not in`.
function inSet(contactsWhere: (test: SQL) => SQL, holds: SQL, holdsWithoutRow: boolean): SQL {
  return holdsWithoutRow ? sql`${contacts.id} not in (${contactsWhere(sql`not coalesce(${holds}, 0)`)})` : sql`${contacts.id} in (${contactsWhere(holds)})`;
}

// The contact's purchases: not cancelled, not in the trash, and within the
// condition's last `days` if it names them.
function purchases(scope: Scoper, c: SegmentCondition, now: number, extra?: SQL): SQL {
  return scope(
    orders,
    and(
      isNull(orders.deletedAt),
      ne(orders.status, 'cancelled'),
      c.days === undefined ? undefined : sql`${orders.orderedAt} >= ${now - c.days * DAY_MS}`,
      extra,
    ),
  );
}

// A purchase total per buyer, and the condition on it. Without purchases
// the count and the amount spent are 0, the last purchase none. Over all
// time, a set from the totals kept per customer (contact_purchase_totals).
// Over the last `days`, the one condition still asked per contact, of its
// orders (orders_ws_contact, a range of the customer's entries): as a set
// it is every order of the workspace grouped (600 ms at 1M orders), while
// asked per contact it stops with the count's cap, and runs last in its
// group (see nodeSql) for the contacts the other conditions left.
function purchaseTotal(c: SegmentCondition, ctx: CompileContext, total: Record<'kept' | 'orders', SQL>, op: (total: SQL) => SQL, absent: number | null, currency?: string): SQL {
  // One row per customer and currency: an amount in a currency is a
  // range of contact_purchase_totals_ws_revenue, a count or a date is
  // summed over the customer's currencies.
  const kept = (test: SQL) =>
    currency === undefined
      ? sql`select ${contactPurchaseTotals.contactId} from ${contactPurchaseTotals} where ${ctx.scope(contactPurchaseTotals)} group by ${contactPurchaseTotals.contactId} having ${test}`
      : sql`select ${contactPurchaseTotals.contactId} from ${contactPurchaseTotals} where ${ctx.scope(contactPurchaseTotals, and(eq(contactPurchaseTotals.currency, currency), test))}`;
  const keptHolds = inSet(kept, op(total.kept), absent === null ? holdsForNull(c) : holdsForNumber(c, absent));
  if (c.days === undefined) return keptHolds;
  const mine = purchases(ctx.scope, c, ctx.now, and(eq(orders.contactId, contacts.id), currency === undefined ? undefined : eq(orders.currency, currency)));
  const value = absent === null ? total.orders : sql`coalesce(${total.orders}, ${absent})`;
  const windowed = op(sql`(select ${value} from ${orders} where ${mine})`);
  // A count or an amount over a window is at most the one over all time,
  // so "at least" over the window needs it over all time first: the set
  // leaves the subquery only the customers who may qualify.
  const atLeast = (c.operator === 'gt' || c.operator === 'gte') && absent !== null && !holdsForNumber(c, absent);
  return atLeast ? sql`${keptHolds} and ${windowed}` : windowed;
}

function orderCondition(spec: FieldSpec, c: SegmentCondition, ctx: CompileContext): SQL {
  switch (spec.key) {
    case 'orders.count':
      return purchaseTotal(c, ctx, { kept: sql`sum(${contactPurchaseTotals.orders})`, orders: sql`count(*)` }, (n) => numberOp(n, c), 0);
    case 'orders.lastPurchaseAt':
      return purchaseTotal(c, ctx, { kept: sql`max(${contactPurchaseTotals.lastOrderAt})`, orders: sql`max(${orders.orderedAt})` }, (at) => instantOp(at, c, ctx.now), null);
    case 'orders.totalSpent': {
      const currency = (Array.isArray(c.value) ? c.value[0] : c.value) as Money;
      const total = { kept: sql`${contactPurchaseTotals.revenue}`, orders: sql`sum(max(0, ${orders.total} - ${orders.refunded}))` };
      return purchaseTotal(c, ctx, total, (spent) => numberOp(spent, c), 0, currency.currency);
    }
    default:
      return boughtCondition(spec, c, ctx);
  }
}

// Bought a product, or anything of a category (ignoring ASCII case). Over
// all time, the buyers are a range of contact_product_purchases' key per
// product, kept by triggers. Over the last `days`, from the lines of those
// products (order_lines_ws_product) to their orders, in that order (CROSS
// JOIN): driven from the orders, SQLite read all of them to probe each
// one's lines.
function boughtCondition(spec: FieldSpec, c: SegmentCondition, ctx: CompileContext): SQL {
  const wanted = (product: SQLWrapper) =>
    spec.key === 'orders.product'
      ? sql`${product} in ${jsonList(c.value as string[])}`
      : sql`${product} in (select ${products.id} from ${products} where ${ctx.scope(products, sql`lower(${products.category}) in ${jsonList((c.value as string[]).map(fold))}`)})`;
  const buyers =
    c.days === undefined
      ? sql`select ${contactProductPurchases.contactId} from ${contactProductPurchases} where ${ctx.scope(contactProductPurchases, wanted(contactProductPurchases.productId))}`
      : sql`select ${orders.contactId} from ${orderLines} cross join ${orders} on ${eq(orders.id, orderLines.orderId)}
        where ${ctx.scope(orderLines, wanted(orderLines.productId))} and ${purchases(ctx.scope, c, ctx.now)}`;
  return c.operator === 'any_of' ? sql`${contacts.id} in (${buyers})` : sql`${contacts.id} not in (${buyers})`;
}

function conditionSql(c: SegmentCondition, ctx: CompileContext): SQL {
  const spec = fieldSpec(c.field, ctx.custom);
  // checkDefinition ran first; a field unknown here is a bug, not input.
  if (!spec) throw new Error(`segment field not in the registry: ${c.field}`);
  if (spec.key.startsWith(CUSTOM_PREFIX)) return customCondition(spec, c, ctx.now);
  if (spec.key === 'contact.email') return emailCondition(c);
  if (spec.key === 'contact.tags' && (c.operator === 'any_of' || c.operator === 'none_of')) return contactTagCondition(c, ctx.scope);
  if (spec.group === 'orders') return orderCondition(spec, c, ctx);
  const contactColumn = CONTACT_COLUMNS[spec.key];
  if (contactColumn) return byType(spec, contactColumn, c, ctx.now);
  const liveCompany = ctx.scope(companies, and(eq(companies.id, contacts.companyId), isNull(companies.deletedAt)));
  const companyColumn = COMPANY_COLUMNS[spec.key];
  if (companyColumn) return byType(spec, sql`(select ${companyColumn} from ${companies} where ${liveCompany})`, c, ctx.now);
  const scoreColumn = SCORE_COLUMNS[spec.key];
  if (scoreColumn) {
    const scored = (test: SQL) => sql`select ${customerScores.contactId} from ${customerScores} where ${ctx.scope(customerScores, test)}`;
    return inSet(scored, byType(spec, scoreColumn, c, ctx.now), holdsForNull(c));
  }
  throw new Error(`segment field without SQL: ${spec.key}`);
}

function nodeSql(node: SegmentNode, ctx: CompileContext): SQL {
  if (node.type === 'condition') return sql`(${conditionSql(node, ctx)})`;
  // An empty group holds for everyone, whichever its operator.
  if (node.children.length === 0) return sql`1`;
  // SQLite tests a group's terms in the order written: the sets and the
  // contact's own fields first, the purchases over a window (a subquery
  // per contact) last, for fewer contacts.
  const perContact = (n: SegmentNode) => n.type === 'condition' && n.days !== undefined && (n.field === 'orders.count' || n.field === 'orders.totalSpent');
  const ordered = [...node.children.filter((n) => !perContact(n)), ...node.children.filter(perContact)];
  const parts = ordered.map((child) => nodeSql(child, ctx));
  return sql`(${(node.op === 'and' ? and : or)(...parts)!})`;
}

export function compileDefinition(definition: SegmentDefinition, ctx: CompileContext): SQL {
  return nodeSql(definition, ctx);
}

// The contacts a definition selects: live ones of the workspace.
export function matching(definition: SegmentDefinition, ctx: CompileContext): SQL {
  return ctx.scope(contacts, and(isNull(contacts.deletedAt), compileDefinition(definition, ctx)));
}
