import { describe, expect, it } from 'vitest';
import { can, canAssignRole, MATRIX, ROLES, type Permission } from '../../functions/domain/permissions';

const user = (role: (typeof ROLES)[number]) => ({ kind: 'user' as const, userId: 'usr_x', role });

describe('the permission matrix', () => {
  it.each([
    ['owner', 'workspace:manage', true],
    ['admin', 'workspace:manage', false],
    ['admin', 'api-keys:manage', true],
    ['admin', 'analytics:manage', true],
    ['manager', 'analytics:manage', false],
    ['manager', 'records:purge', true],
    ['manager', 'members:manage', false],
    ['sales', 'records:write', true],
    ['sales', 'records:purge', false],
    ['support', 'custom-fields:manage', false],
    ['viewer', 'records:read', true],
    ['viewer', 'records:write', false],
  ] as const)('%s may %s: %s', (role, permission, expected) => {
    expect(can(user(role), permission as Permission)).toBe(expected);
  });

  it('every role can read records, and only owners hold every permission', () => {
    for (const role of ROLES) expect(can(user(role), 'records:read')).toBe(true);
    expect(ROLES.filter((r) => MATRIX[r].length === MATRIX.owner.length)).toEqual(['owner']);
  });

  it('API keys never manage people, keys or the workspace', () => {
    for (const scope of ['read', 'write'] as const) {
      for (const p of ['members:manage', 'members:invite', 'api-keys:manage', 'workspace:manage'] as const) {
        expect(can({ kind: 'apiKey', keyId: 'key_x', scope }, p)).toBe(false);
      }
    }
    expect(can({ kind: 'apiKey', keyId: 'key_x', scope: 'read' }, 'records:write')).toBe(false);
    expect(can({ kind: 'apiKey', keyId: 'key_x', scope: 'write' }, 'records:write')).toBe(true);
  });
});

describe('canAssignRole', () => {
  it('only an owner makes owners; nobody hands out a role above their own', () => {
    expect(canAssignRole('owner', 'owner')).toBe(true);
    expect(canAssignRole('admin', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'admin')).toBe(true);
    expect(canAssignRole('manager', 'admin')).toBe(false);
    expect(canAssignRole('manager', 'sales')).toBe(true);
    expect(canAssignRole('sales', 'viewer')).toBe(false);
  });
});
