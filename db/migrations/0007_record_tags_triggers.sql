-- Tags as rows (record_tags), kept by the database itself: every write of a
-- contact's or company's tags, trash state or existence, whoever makes it,
-- updates them in the same transaction. The key is lower(tag), so a filter
-- for "VIP" finds "vip" (ASCII case; SQLite's lower() folds nothing else).
-- A record holding both spellings keeps one row, the first spelling.
CREATE TRIGGER `contacts_tags_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_update` AFTER UPDATE OF tags ON `contacts` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'contact' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
    SELECT new.workspace_id, 'contact', new.id, lower(value), value, new.deleted_at IS NULL FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_trash` AFTER UPDATE OF deleted_at ON `contacts` BEGIN
  UPDATE record_tags SET live = (new.deleted_at IS NULL)
    WHERE workspace_id = new.workspace_id AND entity = 'contact' AND record_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'contact' AND record_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_insert` AFTER INSERT ON `companies` BEGIN
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_update` AFTER UPDATE OF tags ON `companies` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'company' AND record_id = old.id;
  INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
    SELECT new.workspace_id, 'company', new.id, lower(value), value, new.deleted_at IS NULL FROM json_each(new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_trash` AFTER UPDATE OF deleted_at ON `companies` BEGIN
  UPDATE record_tags SET live = (new.deleted_at IS NULL)
    WHERE workspace_id = new.workspace_id AND entity = 'company' AND record_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_delete` AFTER DELETE ON `companies` BEGIN
  DELETE FROM record_tags WHERE workspace_id = old.workspace_id AND entity = 'company' AND record_id = old.id;
END;
--> statement-breakpoint
-- The tags already written, so "VIP" finds the existing "vip" contacts too.
INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
  SELECT c.workspace_id, 'contact', c.id, lower(t.value), t.value, c.deleted_at IS NULL FROM contacts c, json_each(c.tags) t;
--> statement-breakpoint
INSERT OR IGNORE INTO record_tags (workspace_id, entity, record_id, key, tag, live)
  SELECT c.workspace_id, 'company', c.id, lower(t.value), t.value, c.deleted_at IS NULL FROM companies c, json_each(c.tags) t;
