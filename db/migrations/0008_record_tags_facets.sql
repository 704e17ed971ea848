DROP INDEX `record_tags_by_key`;--> statement-breakpoint
ALTER TABLE `record_tags` ADD `stage` text;--> statement-breakpoint
ALTER TABLE `record_tags` ADD `owner_id` text;--> statement-breakpoint
CREATE INDEX `record_tags_by_key` ON `record_tags` (`workspace_id`,`entity`,`key`,`live`,`stage`,`owner_id`,`record_id`);