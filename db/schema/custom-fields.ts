import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES } from '../../functions/domain/custom-fields';
import { timestamps, workspaceId } from './columns';

export const customFieldDefinitions = sqliteTable(
  'custom_field_definitions',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    entity: text('entity', { enum: CUSTOM_FIELD_ENTITIES }).notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: CUSTOM_FIELD_TYPES }).notNull(),
    options: text('options', { mode: 'json' }).$type<string[]>().notNull(),
    // The record page section it shows in (RECORD_SECTIONS); null: the default.
    section: text('section'),
    ...timestamps,
  },
  (t) => [uniqueIndex('custom_fields_ws_entity_key').on(t.workspaceId, t.entity, t.key)],
);
