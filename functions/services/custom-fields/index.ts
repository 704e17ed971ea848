import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { customFieldDefinitions } from '../../../db/schema';
import { entitiesWithSection, RECORD_SECTIONS, type CustomFieldEntity } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import type { CustomFieldCreate, CustomFieldUpdate, CustomFieldView } from '../../schemas/custom-fields';
import { conflict, invalid, notFound } from '../errors';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import { writeRecord } from '../records';
import { preparedReads } from '../workspace-data';
import type { Scope } from '../scope';

const customFieldJson = jsonObject<CustomFieldView>({
  id: customFieldDefinitions.id,
  entity: customFieldDefinitions.entity,
  key: customFieldDefinitions.key,
  label: customFieldDefinitions.label,
  type: customFieldDefinitions.type,
  options: embedded(customFieldDefinitions.options),
  section: customFieldDefinitions.section,
  createdAt: isoTime(customFieldDefinitions.createdAt),
  updatedAt: isoTime(customFieldDefinitions.updatedAt),
});

const answerFor = (scope: Scope, id: string) =>
  scope.db.all(
    sql`select ${customFieldJson} as "json", ${customFieldDefinitions.type} as "type", ${customFieldDefinitions.entity} as "entity" from ${customFieldDefinitions} where ${scope.ws.scope(customFieldDefinitions, eq(customFieldDefinitions.id, id))}`,
  );

// Every record form reads these, so the statement is kept prepared.
const fieldLists = preparedReads(
  (db, scope, byEntity: boolean) =>
    db
      .select({ json: customFieldJson })
      .from(customFieldDefinitions)
      .where(scope(customFieldDefinitions, byEntity ? eq(customFieldDefinitions.entity, sql.placeholder('entity')) : undefined))
      .orderBy(asc(customFieldDefinitions.entity), asc(customFieldDefinitions.createdAt)),
  String,
);

export async function listCustomFields(scope: Scope, entity?: CustomFieldEntity): Promise<JsonText<{ data: CustomFieldView[] }>> {
  const rows = await scope.ws.read(fieldLists, entity !== undefined, { entity });
  return `{"data":[${rows.map((r) => r.json).join(',')}]}`;
}

const SELECT_TYPES = ['select', 'multi_select'] as const;
const needsOptions = (type: string) => (SELECT_TYPES as readonly string[]).includes(type);
const onlySelectsHaveOptions = () => invalid('Only select fields have options', [{ path: 'options', message: 'does not fit the type' }]);
const noSuchSection = (entity: CustomFieldEntity) =>
  invalid(`A ${entity} page has no such section`, [{ path: 'section', message: `must be one of ${RECORD_SECTIONS[entity].join(', ')}` }]);

// A key is taken once per entity: the insert is guarded on it, so of two
// creates racing for one key, one gets the 409.
export async function createCustomField(scope: Scope, input: CustomFieldCreate): Promise<JsonText<CustomFieldView>> {
  const options = input.options ?? [];
  if (needsOptions(input.type) !== options.length > 0) {
    throw needsOptions(input.type)
      ? invalid('Select fields need options', [{ path: 'options', message: 'does not fit the type' }])
      : onlySelectsHaveOptions();
  }
  if (input.section && !entitiesWithSection(input.section).includes(input.entity)) throw noSuchSection(input.entity);
  const row = { id: newId('customField', scope.now), ...input, options, section: input.section ?? null, createdAt: scope.now, updatedAt: scope.now };
  const sameKey = and(eq(customFieldDefinitions.entity, input.entity), eq(customFieldDefinitions.key, input.key));
  const { written, answer } = await writeRecord<{ json: JsonText<CustomFieldView> }>(scope, {
    when: sql`not ${scope.ws.exists(customFieldDefinitions, sameKey)}`,
    audit: { action: 'create', entityType: 'custom-field', entityId: row.id },
    write: (receipt) => [scope.ws.insertWhere(customFieldDefinitions, row, receipt)],
    answer: answerFor(scope, row.id),
  });
  if (!written) throw conflict(`A ${input.entity} field with key "${input.key}" exists`);
  return answer!.json;
}

// The key and type are fixed once created: stored values were written
// against them. Options can grow or be renamed in the list; values already
// stored are kept as they are.
export async function updateCustomField(scope: Scope, id: string, input: CustomFieldUpdate): Promise<JsonText<CustomFieldView>> {
  // What the edit needs of the field, checked by the write itself: options
  // only on a select, a section the field's record page has.
  const target = and(
    eq(customFieldDefinitions.id, id),
    input.options ? inArray(customFieldDefinitions.type, SELECT_TYPES) : undefined,
    input.section ? inArray(customFieldDefinitions.entity, entitiesWithSection(input.section)) : undefined,
  );
  const { written, answer } = await writeRecord<{ json: JsonText<CustomFieldView>; type: string; entity: CustomFieldEntity }>(scope, {
    when: scope.ws.exists(customFieldDefinitions, target),
    write: (receipt) => [scope.ws.update(customFieldDefinitions, { ...input, updatedAt: scope.now }, and(target, receipt)!)],
    audit: { action: 'update', entityType: 'custom-field', entityId: id },
    answer: answerFor(scope, id),
  });
  if (!written) {
    if (!answer) throw notFound('Custom field');
    throw input.options && !needsOptions(answer.type) ? onlySelectsHaveOptions() : noSuchSection(answer.entity);
  }
  return answer!.json;
}

// Removing a definition hides the field; values stay on the records so that
// re-creating the field brings them back.
export async function deleteCustomField(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(customFieldDefinitions, eq(customFieldDefinitions.id, id)),
    audit: { action: 'delete', entityType: 'custom-field', entityId: id },
    write: (receipt) => [scope.ws.delete(customFieldDefinitions, and(eq(customFieldDefinitions.id, id), receipt)!)],
  });
  if (!written) throw notFound('Custom field');
}
