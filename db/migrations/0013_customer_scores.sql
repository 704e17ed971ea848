CREATE TABLE `customer_score_changes` (
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`run_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_segment` text,
	`to_segment` text NOT NULL,
	`from_tier` text,
	`to_tier` text NOT NULL,
	`r` integer NOT NULL,
	`f` integer NOT NULL,
	`m` integer NOT NULL,
	`churn_risk` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `contact_id`, `run_id`)
);
--> statement-breakpoint
CREATE INDEX `customer_score_changes_ws_run` ON `customer_score_changes` (`workspace_id`,`run_id`,`to_segment`);--> statement-breakpoint
CREATE TABLE `customer_scores` (
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`run_id` text NOT NULL,
	`orders` integer NOT NULL,
	`revenue` integer NOT NULL,
	`lifetime_orders` integer NOT NULL,
	`lifetime_revenue` integer NOT NULL,
	`first_order_at` integer NOT NULL,
	`last_order_at` integer NOT NULL,
	`recency_days` integer NOT NULL,
	`r` integer NOT NULL,
	`f` integer NOT NULL,
	`m` integer NOT NULL,
	`segment` text NOT NULL,
	`tier` text NOT NULL,
	`churn_risk` integer NOT NULL,
	`expected_gap_days` real,
	`predicted_value` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `customer_scores_ws_segment` ON `customer_scores` (`workspace_id`,`segment`,`revenue`);--> statement-breakpoint
CREATE INDEX `customer_scores_ws_tier` ON `customer_scores` (`workspace_id`,`tier`,`revenue`);--> statement-breakpoint
CREATE INDEX `customer_scores_ws_grid` ON `customer_scores` (`workspace_id`,`r`,`f`,`m`);--> statement-breakpoint
CREATE INDEX `customer_scores_ws_churn` ON `customer_scores` (`workspace_id`,`churn_risk`,`lifetime_revenue`);--> statement-breakpoint
CREATE TABLE `exchange_rates` (
	`workspace_id` text NOT NULL,
	`currency` text NOT NULL,
	`rate` real NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `product_affinities` (
	`workspace_id` text NOT NULL,
	`product_id` text NOT NULL,
	`other_product_id` text NOT NULL,
	`run_id` text NOT NULL,
	`orders_together` integer NOT NULL,
	`support` real NOT NULL,
	`confidence` real NOT NULL,
	`lift` real NOT NULL,
	PRIMARY KEY(`workspace_id`, `product_id`, `other_product_id`)
);
--> statement-breakpoint
CREATE INDEX `product_affinities_ws_rank` ON `product_affinities` (`workspace_id`,`product_id`,`lift`);--> statement-breakpoint
CREATE TABLE `segmentation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`trigger` text NOT NULL,
	`requested_by` text,
	`status` text NOT NULL,
	`phase` text NOT NULL,
	`cursor` text,
	`as_of` integer NOT NULL,
	`window_days` integer NOT NULL,
	`chunks` integer NOT NULL,
	`customers` integer NOT NULL,
	`stats` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segmentation_runs_ws_key` ON `segmentation_runs` (`workspace_id`,`key`);--> statement-breakpoint
CREATE INDEX `segmentation_runs_ws_started` ON `segmentation_runs` (`workspace_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `reporting_currency` text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `rfm_window_days` integer DEFAULT 365 NOT NULL;