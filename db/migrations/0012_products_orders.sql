CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`sort_name` text NOT NULL,
	`category` text,
	`description` text,
	`price` integer NOT NULL,
	`currency` text NOT NULL,
	`active` integer NOT NULL,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_ws_sku` ON `products` (`workspace_id`,`sku`);--> statement-breakpoint
CREATE INDEX `products_ws_name` ON `products` (`workspace_id`,`sort_name`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_ws_created` ON `products` (`workspace_id`,`created_at`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_ws_category` ON `products` (`workspace_id`,`category`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `products_ws_deleted` ON `products` (`workspace_id`,`deleted_at`) WHERE deleted_at is not null;--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`order_id` text NOT NULL,
	`position` integer NOT NULL,
	`product_id` text,
	`sku` text,
	`name` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`total` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_lines_order` ON `order_lines` (`workspace_id`,`order_id`,`position`);--> statement-breakpoint
CREATE INDEX `order_lines_ws_product` ON `order_lines` (`workspace_id`,`product_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`external_id` text,
	`status` text NOT NULL,
	`ordered_at` integer NOT NULL,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`discount` integer NOT NULL,
	`shipping` integer NOT NULL,
	`tax` integer NOT NULL,
	`total` integer NOT NULL,
	`refunded` integer NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_ws_external` ON `orders` (`workspace_id`,`external_id`) WHERE external_id is not null;--> statement-breakpoint
CREATE INDEX `orders_ws_contact` ON `orders` (`workspace_id`,`contact_id`,`ordered_at`,`status`,`currency`,`total`,`refunded`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `orders_ws_ordered` ON `orders` (`workspace_id`,`ordered_at`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `orders_ws_created` ON `orders` (`workspace_id`,`created_at`,`id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `orders_ws_deleted` ON `orders` (`workspace_id`,`deleted_at`) WHERE deleted_at is not null;