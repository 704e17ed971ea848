import { and, asc, eq } from 'drizzle-orm';
import { customFieldDefinitions } from '../../../db/schema';
import type { CustomFieldEntity } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import type { CustomFieldCreate, CustomFieldUpdate } from '../../schemas/custom-fields';
import { conflict, invalid, notFound } from '../errors';
import { auditEntry } from '../records';

function toView(row: typeof customFieldDefinitions.$inferSelect) {
  const { workspaceId: _ws, ...rest } = row;
  return { ...rest, createdAt: isoTime(row.createdAt)!, updatedAt: isoTime(row.updatedAt)! };
}

export async function listCustomFields(scope: Scope, entity?: CustomFieldEntity) {
  const rows = await scope.ws
    .select(customFieldDefinitions, entity ? eq(customFieldDefinitions.entity, entity) : undefined)
    .orderBy(asc(customFieldDefinitions.entity), asc(customFieldDefinitions.createdAt));
  return rows.map(toView);
}

const needsOptions = (type: string) => type === 'select' || type === 'multi_select';

export async function createCustomField(scope: Scope, input: CustomFieldCreate) {
  const options = input.options ?? [];
  if (needsOptions(input.type) !== options.length > 0) {
    throw invalid(
      needsOptions(input.type) ? 'Select fields need options' : 'Only select fields have options',
      [{ path: 'options', message: 'does not fit the type' }],
    );
  }
  const [existing] = await scope.ws.select(
    customFieldDefinitions,
    and(eq(customFieldDefinitions.entity, input.entity), eq(customFieldDefinitions.key, input.key)),
  );
  if (existing) throw conflict(`A ${input.entity} field with key "${input.key}" exists`);
  const row = { id: newId('customField', scope.now), ...input, options, createdAt: scope.now, updatedAt: scope.now };
  await scope.ws.batch([scope.ws.insert(customFieldDefinitions, row), auditEntry(scope, 'create', 'custom-field', row.id)]);
  return toView({ ...row, workspaceId: scope.ws.workspaceId });
}

// The key and type are fixed once created: stored values were written
// against them. Options can grow or be renamed in the list; values already
// stored are kept as they are.
export async function updateCustomField(scope: Scope, id: string, input: CustomFieldUpdate) {
  const [row] = await scope.ws.select(customFieldDefinitions, eq(customFieldDefinitions.id, id));
  if (!row) throw notFound('Custom field');
  if (input.options && !needsOptions(row.type)) {
    throw invalid('Only select fields have options', [{ path: 'options', message: 'does not fit the type' }]);
  }
  const set = { ...input, updatedAt: scope.now };
  await scope.ws.batch([
    scope.ws.update(customFieldDefinitions, set, eq(customFieldDefinitions.id, id)),
    auditEntry(scope, 'update', 'custom-field', id),
  ]);
  return toView({ ...row, ...set });
}

// Removing a definition hides the field; values stay on the records so that
// re-creating the field brings them back.
export async function deleteCustomField(scope: Scope, id: string) {
  const [row] = await scope.ws.select(customFieldDefinitions, eq(customFieldDefinitions.id, id));
  if (!row) throw notFound('Custom field');
  await scope.ws.batch([
    scope.ws.delete(customFieldDefinitions, eq(customFieldDefinitions.id, id)),
    auditEntry(scope, 'delete', 'custom-field', id),
  ]);
}
