CREATE TABLE `bulk_operation_items` (
	`workspace_id` text NOT NULL,
	`operation_id` text NOT NULL,
	`record_id` text NOT NULL,
	PRIMARY KEY(`operation_id`, `record_id`)
);
--> statement-breakpoint
CREATE TABLE `bulk_operations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`selection` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`processed` integer NOT NULL,
	`changed` integer NOT NULL,
	`cursor` text,
	`chunk_end` text,
	`chunk_rows` integer,
	`chunk_changes` integer,
	`undo_of` text,
	`undone_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `bulk_operations_ws` ON `bulk_operations` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `bulk_operations_undo_of` ON `bulk_operations` (`undo_of`);--> statement-breakpoint
CREATE TABLE `record_tags` (
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`record_id` text NOT NULL,
	`key` text NOT NULL,
	`tag` text NOT NULL,
	`live` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `entity`, `record_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `record_tags_by_key` ON `record_tags` (`workspace_id`,`entity`,`key`,`live`,`record_id`);--> statement-breakpoint
CREATE TABLE `saved_views` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`visibility` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `saved_views_ws_entity` ON `saved_views` (`workspace_id`,`entity`,`name`);