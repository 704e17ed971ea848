DROP INDEX `record_tags_by_key`;--> statement-breakpoint
ALTER TABLE `record_tags` ADD `sort_name` text;--> statement-breakpoint
CREATE INDEX `record_tags_by_key` ON `record_tags` (`workspace_id`,`entity`,`key`,`live`,`stage`,`owner_id`,`sort_name`,`record_id`);