import { can, type Permission, type Principal } from './permissions';

// The getting-started checklist of a new workspace: the few things that
// make Relate useful, each offered only to someone whose role may do it
// (a viewer, who can do none of them, has no checklist). Each step is done
// when the workspace shows it happened, whoever did it.
export const CHECKLIST_STEPS = [
  // Done by the first contact, even one since moved to the trash.
  { id: 'add-people', permission: 'records:write' },
  // Done by a second member, or by an invitation made (used or not).
  { id: 'invite-colleague', permission: 'members:invite' },
  // Done by a key made (revoked or not).
  { id: 'create-api-key', permission: 'api-keys:manage' },
] as const satisfies readonly { id: string; permission: Permission }[];

export type ChecklistStepId = (typeof CHECKLIST_STEPS)[number]['id'];
export const CHECKLIST_STEP_IDS = CHECKLIST_STEPS.map((s) => s.id) as [ChecklistStepId, ...ChecklistStepId[]];

export type WorkspaceFacts = { hasPeople: boolean; hasColleague: boolean; hasApiKey: boolean };

const DONE: Record<ChecklistStepId, (facts: WorkspaceFacts) => boolean> = {
  'add-people': (f) => f.hasPeople,
  'invite-colleague': (f) => f.hasColleague,
  'create-api-key': (f) => f.hasApiKey,
};

export type Checklist = { steps: { id: ChecklistStepId; done: boolean }[]; complete: boolean; dismissed: boolean };

// `complete` when every step offered is done; the UI shows the list while it
// is neither complete nor dismissed. No step offered counts as complete.
export function checklistFor(principal: Principal, facts: WorkspaceFacts, dismissed: boolean): Checklist {
  const steps = CHECKLIST_STEPS.filter((s) => can(principal, s.permission)).map((s) => ({ id: s.id, done: DONE[s.id](facts) }));
  return { steps, complete: steps.every((s) => s.done), dismissed };
}
