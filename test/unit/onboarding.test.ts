import { describe, expect, it } from 'vitest';
import { checklistFor } from '../../functions/domain/onboarding';
import { ROLES } from '../../functions/domain/permissions';

const nothing = { hasPeople: false, hasColleague: false, hasApiKey: false };
const user = (role: (typeof ROLES)[number]) => ({ kind: 'user' as const, userId: 'usr_1', role });

describe('the getting-started checklist', () => {
  it('offers each role the steps it may take', () => {
    const offered = Object.fromEntries(ROLES.map((role) => [role, checklistFor(user(role), nothing, false).steps.map((s) => s.id)]));
    expect(offered).toEqual({
      owner: ['add-people', 'invite-colleague', 'create-api-key'],
      admin: ['add-people', 'invite-colleague', 'create-api-key'],
      manager: ['add-people', 'invite-colleague'],
      sales: ['add-people'],
      marketing: ['add-people'],
      support: ['add-people'],
      viewer: [],
    });
  });

  it('is complete when every step offered is done, whatever the steps not offered', () => {
    expect(checklistFor(user('owner'), { hasPeople: true, hasColleague: true, hasApiKey: false }, false).complete).toBe(false);
    expect(checklistFor(user('manager'), { hasPeople: true, hasColleague: true, hasApiKey: false }, false).complete).toBe(true);
    expect(checklistFor(user('viewer'), nothing, false).complete).toBe(true);
  });

  it('says whether the member dismissed it, apart from being complete', () => {
    expect(checklistFor(user('owner'), nothing, true)).toMatchObject({ complete: false, dismissed: true });
  });
});
