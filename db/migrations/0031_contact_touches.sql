CREATE TABLE `contact_touches` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`source_id` text NOT NULL,
	`channel` text NOT NULL,
	`at` integer NOT NULL,
	`utm` text NOT NULL,
	`landing_page` text,
	`referrer` text,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contact_touches_ws_contact` ON `contact_touches` (`workspace_id`,`contact_id`,`at`,`id`);