import { can as roleCan, ROLES, type Permission, type Role } from '$functions/domain/permissions';
import { ApiError, apiWith, call, rememberCsrfToken, type Session } from './api';

// Routes a signed-out visitor may see; everything else needs a session.
export const PUBLIC_ROUTES: readonly string[] = ['/sign-in', '/sign-up', '/invite/[token]'];

// null when nobody is signed in; any other failure propagates to the error
// page rather than masquerading as "signed out".
export async function loadSession(fetch: typeof globalThis.fetch): Promise<Session | null> {
  try {
    const session = await call(apiWith(fetch).api.auth.session.$get());
    rememberCsrfToken(session.csrfToken);
    return session;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) throw e;
    rememberCsrfToken(null);
    return null;
  }
}

export function roleOf(session: Session | null): Role | null {
  const role = session?.workspace.role;
  return ROLES.find((r) => r === role) ?? null;
}

// The same matrix the server enforces, used only to hide what would be refused.
export function can(session: Session | null, permission: Permission): boolean {
  const role = roleOf(session);
  return !!session && !!role && roleCan({ kind: 'user', userId: session.user.id, role }, permission);
}
