CREATE TABLE `segment_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`run_id` text
);
--> statement-breakpoint
CREATE INDEX `segment_changes_ws_segment` ON `segment_changes` (`workspace_id`,`segment_id`,`seq`);--> statement-breakpoint
CREATE TABLE `segment_members` (
	`workspace_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `segment_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `segment_members_ws_contact` ON `segment_members` (`workspace_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`definition` text NOT NULL,
	`member_count` integer NOT NULL,
	`refreshed_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `segments_ws_name` ON `segments` (`workspace_id`,`name`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `segments_ws_id` ON `segments` (`workspace_id`,`id`) WHERE deleted_at is null;