import { and, eq, isNull } from 'drizzle-orm';
import { auditLog, companies, customFieldDefinitions, memberships } from '../../db/schema';
import { validateCustomFields, type CustomFieldEntity } from '../domain/custom-fields';
import { newId } from '../domain/ids';
import type { CustomFieldValues } from '../domain/records';
import type { Scope } from './scope';
import { invalid } from './errors';

// Checks shared by contacts and companies: the references a record makes
// must point inside the same workspace, and custom values must fit their
// definitions. Failures are 422s that name the field.
export async function checkCustomFields(scope: Scope, entity: CustomFieldEntity, values: CustomFieldValues) {
  if (Object.keys(values).length === 0) return;
  const defs = await scope.ws.select(customFieldDefinitions, eq(customFieldDefinitions.entity, entity));
  const problems = validateCustomFields(defs, values);
  if (problems.length) {
    throw invalid(
      'Some custom fields are not valid',
      problems.map((p) => ({ path: `customFields.${p.key}`, message: p.message })),
    );
  }
}

export async function checkOwner(scope: Scope, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [member] = await scope.ws.select(memberships, eq(memberships.userId, ownerId));
  if (!member) throw invalid('The owner must be a member of this workspace', [{ path: 'ownerId', message: 'not a member' }]);
}

// A company a record is being linked to must be live; a link a record
// already has is kept as it is, also while that company is in the trash.
export async function findCompanyName(
  scope: Scope,
  companyId: string | null | undefined,
  { linking }: { linking: boolean },
): Promise<string | null> {
  if (!companyId) return null;
  const [company] = await scope.db
    .select({ name: companies.name })
    .from(companies)
    .where(scope.ws.scope(companies, and(eq(companies.id, companyId), linking ? isNull(companies.deletedAt) : undefined)));
  if (!company && linking) throw invalid('No such company in this workspace', [{ path: 'companyId', message: 'not found' }]);
  return company?.name ?? null;
}

export function auditEntry(
  scope: Scope,
  action: string,
  entityType: string,
  entityId: string,
  changes?: Record<string, unknown>,
) {
  return scope.ws.insert(auditLog, {
    id: newId('audit', scope.now),
    actorId: scope.actor.actorId,
    action,
    entityType,
    entityId,
    changes: changes ?? null,
    at: scope.now,
  });
}
