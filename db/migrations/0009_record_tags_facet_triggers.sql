-- record_tags carries the record's stage (contacts) and owner as well as its
-- tags, so the triggers of 0007 that write its rows write those too, and
-- run again when the stage or the owner changes; the rows already written
-- get them from their records.
DROP TRIGGER `contacts_tags_insert`;
--> statement-breakpoint
DROP TRIGGER `contacts_tags_update`;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL, new.lifecycle_stage, new.owner_id FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_update` AFTER UPDATE OF tags, lifecycle_stage, owner_id ON `contacts` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'contact' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL, new.lifecycle_stage, new.owner_id FROM json_each(new.tags);
END;
--> statement-breakpoint
UPDATE record_tags SET stage = c.lifecycle_stage, owner_id = c.owner_id
  FROM contacts c WHERE c.id = record_tags.record_id AND record_tags.entity = 'contact';
--> statement-breakpoint
DROP TRIGGER `companies_tags_insert`;
--> statement-breakpoint
DROP TRIGGER `companies_tags_update`;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_insert` AFTER INSERT ON `companies` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL, NULL, new.owner_id FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_update` AFTER UPDATE OF tags, owner_id ON `companies` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'company' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL, NULL, new.owner_id FROM json_each(new.tags);
END;
--> statement-breakpoint
UPDATE record_tags SET owner_id = c.owner_id
  FROM companies c WHERE c.id = record_tags.record_id AND record_tags.entity = 'company';
