// The one permission matrix. Every route names the permission it needs
// (functions/routes/guard.ts) and nothing else decides who may do what.
export const ROLES = ['owner', 'admin', 'manager', 'sales', 'marketing', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'records:read',
  'records:write',
  'records:delete',
  'records:purge',
  'custom-fields:manage',
  'members:read',
  'members:invite',
  'members:manage',
  'api-keys:manage',
  'workspace:manage',
  // Analytics settings and "run segmentation now": owners and admins.
  'analytics:manage',
  // Webhook sources and subscriptions (their secrets) and the event inbox:
  // owners, admins and marketing, who wire up the form and email tools.
  'integrations:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everything = PERMISSIONS;
const worker: Permission[] = ['records:read', 'records:write', 'records:delete', 'members:read'];

export const MATRIX: Record<Role, readonly Permission[]> = {
  owner: everything,
  admin: everything.filter((p) => p !== 'workspace:manage'),
  manager: [...worker, 'records:purge', 'custom-fields:manage', 'members:invite'],
  sales: worker,
  marketing: [...worker, 'integrations:manage'],
  support: worker,
  viewer: ['records:read', 'members:read'],
};

// API keys act for the workspace, never as a member: a read key sees what a
// viewer sees, a write key may also change records, and no key manages people,
// keys or the workspace.
export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const KEY_MATRIX: Record<ApiKeyScope, readonly Permission[]> = {
  read: ['records:read'],
  write: ['records:read', 'records:write', 'records:delete'],
};

export type Principal =
  | { kind: 'user'; userId: string; role: Role }
  | { kind: 'apiKey'; keyId: string; scope: ApiKeyScope }
  // Scheduled jobs; never the result of authenticating a request.
  | { kind: 'system' };

export function can(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'system') return true;
  const granted = principal.kind === 'user' ? MATRIX[principal.role] : KEY_MATRIX[principal.scope];
  return granted.includes(permission);
}

// Members may hand out only roles no stronger than their own, and only an
// owner makes another owner.
const RANK: Record<Role, number> = { owner: 3, admin: 2, manager: 1, sales: 0, marketing: 0, support: 0, viewer: 0 };
export function canAssignRole(actor: Role, role: Role): boolean {
  if (role === 'owner') return actor === 'owner';
  return RANK[actor] >= Math.max(RANK[role], 1);
}
