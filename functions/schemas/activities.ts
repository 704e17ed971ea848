import { z } from '@hono/zod-openapi';
import { activities } from '../../db/schema';
import { ACTIVITY_TYPES } from '../domain/records';
import { createInsertSchema, createSelectSchema, idRef } from './common';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';

export const activityCreate = createInsertSchema(activities, {
  type: z.enum(ACTIVITY_TYPES).default('note'),
  subject: (s) => s.trim().max(200),
  body: (s) => s.trim().min(1).max(20_000),
  contactId: idRef('con'),
  companyId: idRef('com'),
  occurredAt: z.string().datetime({ offset: true }),
})
  .pick({ type: true, subject: true, body: true, contactId: true, companyId: true, occurredAt: true })
  .partial({ occurredAt: true, contactId: true, companyId: true, subject: true, type: true })
  .strict()
  .refine((a) => !!a.contactId !== !!a.companyId, {
    message: 'An activity belongs to exactly one contact or one company',
    path: ['contactId'],
  })
  .openapi('ActivityCreate');
export type ActivityInput = z.infer<typeof activityCreate>;

// Editing an activity: what it says and when, never what it hangs on.
export const activityUpdate = z
  .object({
    type: z.enum(ACTIVITY_TYPES).optional(),
    subject: z.string().trim().max(200).nullable().optional(),
    body: z.string().trim().min(1).max(20_000).optional(),
    occurredAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi('ActivityUpdate');
export type ActivityUpdate = z.infer<typeof activityUpdate>;

export const activitySchema = createSelectSchema(activities)
  .omit({ workspaceId: true })
  .extend({
    authorName: z.string().nullable(),
    occurredAt: z.string().datetime(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Activity');
export type ActivityView = z.infer<typeof activitySchema>;

export const activityListQuery = z
  .object({ contactId: idRef('con').optional(), companyId: idRef('com').optional(), ...pageQuery('act') })
  .strict()
  .refine((q) => !!q.contactId !== !!q.companyId, {
    message: 'Give contactId or companyId',
    path: ['contactId'],
  })
  // The timeline pages by when things happened: always a time.
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, false, ctx));
export type ActivityListQuery = z.infer<typeof activityListQuery>;

export const activityPage = z
  .object({ data: z.array(activitySchema), nextCursor: z.string().nullable() })
  .openapi('ActivityPage');
