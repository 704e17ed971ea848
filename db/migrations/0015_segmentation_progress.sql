CREATE TABLE `segmentation_customers` (
	`workspace_id` text NOT NULL,
	`run_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`orders` integer NOT NULL,
	`revenue` integer NOT NULL,
	`lifetime_orders` integer NOT NULL,
	`lifetime_revenue` integer NOT NULL,
	`unpriced_orders` integer NOT NULL,
	`first_order_at` integer NOT NULL,
	`last_order_at` integer NOT NULL,
	`recency_days` integer NOT NULL,
	`r` integer,
	`f` integer,
	`m` integer,
	`segment` text,
	`tier` text,
	`expected_gap_days` real,
	`churn_risk` integer,
	`predicted_value` integer,
	PRIMARY KEY(`workspace_id`, `run_id`, `contact_id`)
);
--> statement-breakpoint
ALTER TABLE `segmentation_runs` ADD `processed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `segmentation_runs` ADD `updated_at` integer DEFAULT 0 NOT NULL;