CREATE TABLE `contact_purchase_totals` (
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`currency` text NOT NULL,
	`orders` integer NOT NULL,
	`revenue` integer NOT NULL,
	`last_order_at` integer,
	PRIMARY KEY(`workspace_id`, `contact_id`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `contact_purchase_totals_ws_revenue` ON `contact_purchase_totals` (`workspace_id`,`currency`,`revenue`,`contact_id`);--> statement-breakpoint
CREATE INDEX `contact_purchase_totals_ws_contact` ON `contact_purchase_totals` (`workspace_id`,`contact_id`,`orders`,`last_order_at`);--> statement-breakpoint
CREATE INDEX `customer_scores_ws_segment_contact` ON `customer_scores` (`workspace_id`,`segment`,`contact_id`);