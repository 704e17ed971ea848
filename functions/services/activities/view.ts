import { eq, sql } from 'drizzle-orm';
import { activities, users } from '../../../db/schema';
import type { ActivityView } from '../../schemas/activities';
import { isoTime, jsonObject } from '../json-views';

// An activity as the API shows it. Users are not workspace rows; the join
// (users on author_id) only names authors of this workspace's activities.
export const activityJson = jsonObject<ActivityView>({
  id: activities.id,
  type: activities.type,
  subject: activities.subject,
  body: activities.body,
  contactId: activities.contactId,
  companyId: activities.companyId,
  authorId: activities.authorId,
  authorName: users.name,
  occurredAt: isoTime(activities.occurredAt),
  createdAt: isoTime(activities.createdAt),
  updatedAt: isoTime(activities.updatedAt),
});

export const withAuthor = sql`${activities} left join ${users} on ${eq(users.id, activities.authorId)}`;
