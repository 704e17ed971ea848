-- record_tags carries the record's sort name too (the lists' default
-- order), so the triggers of 0009 write it and run again when it changes;
-- the rows already written get it from their records.
DROP TRIGGER `contacts_tags_insert`;
--> statement-breakpoint
DROP TRIGGER `contacts_tags_update`;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id, sort_name)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL, new.lifecycle_stage, new.owner_id, new.sort_name FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_update` AFTER UPDATE OF tags, lifecycle_stage, owner_id, sort_name ON `contacts` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'contact' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id, sort_name)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL, new.lifecycle_stage, new.owner_id, new.sort_name FROM json_each(new.tags);
END;
--> statement-breakpoint
UPDATE record_tags SET sort_name = c.sort_name
  FROM contacts c WHERE c.id = record_tags.record_id AND record_tags.entity = 'contact';
--> statement-breakpoint
DROP TRIGGER `companies_tags_insert`;
--> statement-breakpoint
DROP TRIGGER `companies_tags_update`;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_insert` AFTER INSERT ON `companies` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id, sort_name)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL, NULL, new.owner_id, new.sort_name FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_update` AFTER UPDATE OF tags, owner_id, sort_name ON `companies` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'company' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live, stage, owner_id, sort_name)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL, NULL, new.owner_id, new.sort_name FROM json_each(new.tags);
END;
--> statement-breakpoint
UPDATE record_tags SET sort_name = c.sort_name
  FROM companies c WHERE c.id = record_tags.record_id AND record_tags.entity = 'company';
