CREATE TABLE `month_customers` (
	`workspace_id` text NOT NULL,
	`month` text NOT NULL,
	`customers` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `month`)
);
--> statement-breakpoint
CREATE TABLE `order_month_totals` (
	`workspace_id` text NOT NULL,
	`month` text NOT NULL,
	`currency` text NOT NULL,
	`orders` integer NOT NULL,
	`revenue` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `month`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `product_month_totals` (
	`workspace_id` text NOT NULL,
	`product_id` text NOT NULL,
	`month` text NOT NULL,
	`currency` text NOT NULL,
	`units` integer NOT NULL,
	`revenue` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `month`, `product_id`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `product_month_totals_ws_month` ON `product_month_totals` (`workspace_id`,`month`,`product_id`,`currency`,`units`,`revenue`);--> statement-breakpoint
CREATE TABLE `score_cells` (
	`workspace_id` text NOT NULL,
	`r` integer NOT NULL,
	`fm` integer NOT NULL,
	`tier` text NOT NULL,
	`last_month` text NOT NULL,
	`customers` integer NOT NULL,
	`revenue` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `last_month`, `r`, `fm`, `tier`)
);
--> statement-breakpoint
CREATE TABLE `segment_moves` (
	`workspace_id` text NOT NULL,
	`run_id` text NOT NULL,
	`from_segment` text NOT NULL,
	`to_segment` text NOT NULL,
	`customers` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `run_id`, `from_segment`, `to_segment`)
);
