CREATE TABLE `contact_emails` (
	`workspace_id` text NOT NULL,
	`address` text NOT NULL,
	`contact_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `address`, `contact_id`)
);
--> statement-breakpoint
CREATE TABLE `import_chunks` (
	`workspace_id` text NOT NULL,
	`import_id` text NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`import_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `import_items` (
	`workspace_id` text NOT NULL,
	`import_id` text NOT NULL,
	`record_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	PRIMARY KEY(`import_id`, `record_id`)
);
--> statement-breakpoint
CREATE TABLE `import_rejects` (
	`workspace_id` text NOT NULL,
	`import_id` text NOT NULL,
	`line` integer NOT NULL,
	`reason` text NOT NULL,
	`fields` text NOT NULL,
	PRIMARY KEY(`import_id`, `line`)
);
--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`actor_id` text NOT NULL,
	`filename` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`delimiter` text,
	`headers` text,
	`preview` text,
	`total_rows` integer NOT NULL,
	`chunks` integer NOT NULL,
	`bytes` integer NOT NULL,
	`mapping` text,
	`dedupe` text,
	`cursor_chunk` integer NOT NULL,
	`cursor_offset` integer NOT NULL,
	`cursor_line` integer NOT NULL,
	`processed` integer NOT NULL,
	`created` integer NOT NULL,
	`updated` integer NOT NULL,
	`skipped` integer NOT NULL,
	`rejected` integer NOT NULL,
	`undo_cursor` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`undone_at` integer
);
--> statement-breakpoint
CREATE INDEX `imports_ws_created` ON `imports` (`workspace_id`,`created_at`);