ALTER TABLE `segmentation_customers` DROP COLUMN `r`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `f`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `m`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `segment`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `tier`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `expected_gap_days`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `churn_risk`;--> statement-breakpoint
ALTER TABLE `segmentation_customers` DROP COLUMN `predicted_value`;