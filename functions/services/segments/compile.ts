import { and, eq, isNull, ne, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { companies, contacts, customerScores, orderLines, orders, products, recordTags } from '../../../db/schema';
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
import { byType, fold, instantOp, jsonList, numberOp } from './operators';

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

// The contact's purchases: not cancelled, not in the trash, and within the
// condition's last `days` if it names them.
function purchases(scope: Scoper, c: SegmentCondition, now: number): SQL {
  return scope(
    orders,
    and(
      eq(orders.contactId, contacts.id),
      isNull(orders.deletedAt),
      ne(orders.status, 'cancelled'),
      c.days === undefined ? undefined : sql`${orders.orderedAt} >= ${now - c.days * DAY_MS}`,
    ),
  );
}

function orderCondition(spec: FieldSpec, c: SegmentCondition, ctx: CompileContext): SQL {
  const mine = purchases(ctx.scope, c, ctx.now);
  switch (spec.key) {
    case 'orders.count':
      return numberOp(sql`(select count(*) from ${orders} where ${mine})`, c);
    case 'orders.lastPurchaseAt':
      return instantOp(sql`(select max(${orders.orderedAt}) from ${orders} where ${mine})`, c, ctx.now);
    case 'orders.totalSpent': {
      const currency = (Array.isArray(c.value) ? c.value[0] : c.value) as Money;
      const net = sql`max(0, ${orders.total} - ${orders.refunded})`;
      return numberOp(sql`(select coalesce(sum(${net}), 0) from ${orders} where ${mine} and ${orders.currency} = ${currency.currency})`, c);
    }
    default: {
      // Bought a product, or anything of a category (ignoring ASCII case).
      const wanted =
        spec.key === 'orders.product'
          ? sql`${orderLines.productId} in ${jsonList(c.value as string[])}`
          : sql`exists (select 1 from ${products} where ${ctx.scope(products, and(eq(products.id, orderLines.productId), sql`lower(${products.category}) in ${jsonList((c.value as string[]).map(fold))}`))})`;
      const bought = sql`exists (select 1 from ${orders} inner join ${orderLines} on ${eq(orderLines.orderId, orders.id)} where ${mine} and ${ctx.scope(orderLines, wanted)})`;
      return c.operator === 'any_of' ? bought : sql`not ${bought}`;
    }
  }
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
    const score = ctx.scope(customerScores, eq(customerScores.contactId, contacts.id));
    return byType(spec, sql`(select ${scoreColumn} from ${customerScores} where ${score})`, c, ctx.now);
  }
  throw new Error(`segment field without SQL: ${spec.key}`);
}

function nodeSql(node: SegmentNode, ctx: CompileContext): SQL {
  if (node.type === 'condition') return sql`(${conditionSql(node, ctx)})`;
  // An empty group holds for everyone, whichever its operator.
  if (node.children.length === 0) return sql`1`;
  const parts = node.children.map((child) => nodeSql(child, ctx));
  return sql`(${(node.op === 'and' ? and : or)(...parts)!})`;
}

export function compileDefinition(definition: SegmentDefinition, ctx: CompileContext): SQL {
  return nodeSql(definition, ctx);
}

// The contacts a definition selects: live ones of the workspace.
export function matching(definition: SegmentDefinition, ctx: CompileContext): SQL {
  return ctx.scope(contacts, and(isNull(contacts.deletedAt), compileDefinition(definition, ctx)));
}
