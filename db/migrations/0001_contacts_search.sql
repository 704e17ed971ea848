-- Full-text search over contacts' name, emails, phones and company name.
-- The trigram tokenizer (SQLite 3.34+) matches any fragment of 3+ characters,
-- so "ann" finds "Joanna"; the index holds no copy of the text (external
-- content) and triggers keep it in step with contacts.search_text.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(search_text, content='contacts', content_rowid='seq', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO contacts_fts(rowid, search_text) VALUES (new.seq, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF search_text ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
  INSERT INTO contacts_fts(rowid, search_text) VALUES (new.seq, new.search_text);
END;
