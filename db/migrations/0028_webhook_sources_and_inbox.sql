CREATE TABLE `email_deliverability` (
	`workspace_id` text NOT NULL,
	`address` text NOT NULL,
	`suppression` text,
	`suppressed_at` integer,
	`latest_status` text,
	`latest_at` integer,
	`last_opened_at` integer,
	`last_clicked_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `address`)
);
--> statement-breakpoint
CREATE INDEX `email_deliverability_ws_suppressed` ON `email_deliverability` (`workspace_id`,`suppressed_at`,`address`) WHERE suppression is not null;--> statement-breakpoint
CREATE TABLE `email_events` (
	`workspace_id` text NOT NULL,
	`source_id` text NOT NULL,
	`provider_event_id` text NOT NULL,
	`webhook_event_id` text NOT NULL,
	`address` text NOT NULL,
	`type` text NOT NULL,
	`bounce` text,
	`at` integer NOT NULL,
	`detail` text,
	`url` text,
	PRIMARY KEY(`workspace_id`, `source_id`, `provider_event_id`)
);
--> statement-breakpoint
CREATE INDEX `email_events_ws_address` ON `email_events` (`workspace_id`,`address`,`at`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`event_key` text NOT NULL,
	`received_at` integer NOT NULL,
	`headers` text NOT NULL,
	`content_type` text,
	`body` text NOT NULL,
	`verified_with` integer NOT NULL,
	`type` text,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`result` text,
	`error` text,
	`applied_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_source_key` ON `webhook_events` (`workspace_id`,`source_id`,`event_key`);--> statement-breakpoint
CREATE INDEX `webhook_events_ws_received` ON `webhook_events` (`workspace_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_events_ws_status` ON `webhook_events` (`workspace_id`,`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_until` integer,
	`hmac` text,
	`mapping` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_sources_ws_name` ON `webhook_sources` (`workspace_id`,`name`,`id`);