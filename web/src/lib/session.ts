import { can as roleCan, ROLES, type Permission, type Role } from '$functions/domain/permissions';
import { hasSignedInHint } from '$functions/domain/signed-in-hint';
import { ApiError, apiWith, call, rememberCsrfToken, type Checklist, type Session } from './api';

// Routes a signed-out visitor may see; everything else needs a session.
export const PUBLIC_ROUTES: readonly string[] = ['/sign-in', '/sign-up', '/invite/[token]'];

// null when nobody is signed in; any other failure propagates to the error
// page rather than masquerading as "signed out". Without the server's
// signed-in hint nobody can be, and nothing is asked
// ($functions/domain/signed-in-hint.ts).
export async function loadSession(fetch: typeof globalThis.fetch): Promise<Session | null> {
  if (!hasSignedInHint(document.cookie)) {
    rememberCsrfToken(null);
    return null;
  }
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

// The getting-started checklist, while it may still have something to show:
// once it is complete or dismissed for a member in a workspace it is not
// asked for again during this visit.
const settled = new Set<string>();

export function loadChecklist(fetch: typeof globalThis.fetch, session: Session): Promise<Checklist | null> | null {
  const key = `${session.user.id} ${session.workspace.id}`;
  if (settled.has(key)) return null;
  return call(apiWith(fetch).api.onboarding.$get()).then(
    (checklist) => {
      if (checklist.complete || checklist.dismissed) settled.add(key);
      return checklist;
    },
    // A checklist that cannot be read is not worth an error page.
    () => null,
  );
}

export function settleChecklist(session: Session) {
  settled.add(`${session.user.id} ${session.workspace.id}`);
}
