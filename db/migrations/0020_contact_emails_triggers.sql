-- contact_emails: every address of every contact, lower-cased, kept by the
-- database itself (like record_tags, migration 0007), so whoever writes a
-- contact's emails — the services, an import, a hand-run UPDATE — keeps
-- it right. An import looks a chunk's addresses up in it by index.
CREATE TRIGGER `contacts_emails_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT OR IGNORE INTO contact_emails (workspace_id, address, contact_id)
    SELECT new.workspace_id, lower(json_extract(value, '$.address')), new.id FROM json_each(new.emails);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_emails_update` AFTER UPDATE OF emails ON `contacts` BEGIN
  DELETE FROM contact_emails WHERE workspace_id = old.workspace_id AND contact_id = old.id
    AND address IN (SELECT lower(json_extract(value, '$.address')) FROM json_each(old.emails));
  INSERT OR IGNORE INTO contact_emails (workspace_id, address, contact_id)
    SELECT new.workspace_id, lower(json_extract(value, '$.address')), new.id FROM json_each(new.emails);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_emails_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM contact_emails WHERE workspace_id = old.workspace_id AND contact_id = old.id
    AND address IN (SELECT lower(json_extract(value, '$.address')) FROM json_each(old.emails));
END;
--> statement-breakpoint
INSERT OR IGNORE INTO contact_emails (workspace_id, address, contact_id)
  SELECT c.workspace_id, lower(json_extract(e.value, '$.address')), c.id FROM contacts c, json_each(c.emails) e;
