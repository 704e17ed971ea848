CREATE TABLE `contact_product_purchases` (
	`workspace_id` text NOT NULL,
	`product_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`lines` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `product_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contacts_ws_stage` ON `contacts` (`workspace_id`,`lifecycle_stage`,`sort_name`,`id`) WHERE deleted_at is null;