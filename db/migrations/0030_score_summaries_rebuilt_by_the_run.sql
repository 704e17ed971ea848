-- The score cells and segment moves (migration 0018) are rebuilt by the
-- segmentation run as it finishes, one GROUP BY each
-- (functions/services/segmentation/summaries.ts), instead of by a trigger
-- per row: a run writes a score and a history row per customer, and at
-- 100k customers the triggers cost more than the rows. What they hold now
-- stays until the next run rebuilds it.
DROP TRIGGER `customer_scores_cells_insert`;
--> statement-breakpoint
DROP TRIGGER `customer_scores_cells_update`;
--> statement-breakpoint
DROP TRIGGER `customer_scores_cells_delete`;
--> statement-breakpoint
DROP TRIGGER `customer_score_changes_moves_insert`;
--> statement-breakpoint
DROP TRIGGER `customer_score_changes_moves_update`;
--> statement-breakpoint
DROP TRIGGER `customer_score_changes_moves_delete`;
