-- The contacts of an RFM segment from the index alone: the segment
-- builder's "segment is At risk" is a set of contact ids, which
-- customer_scores_ws_segment (workspace, segment, revenue) could only give
-- by reading each row (16 ms for 20k customers, 1 ms from this). Here
-- rather than in db/schema/scores.ts, which the segmentation owns.
CREATE INDEX `customer_scores_ws_segment_contact` ON `customer_scores` (`workspace_id`, `segment`, `contact_id`);
--> statement-breakpoint
-- Statistics for the new index beside the others': a database analyzed
-- before it came (the seeded demo, the benches) otherwise takes it, with
-- no statistics, for the at-risk page over customer_scores_ws_at_risk and
-- sorts (1 ms to 20 ms). Without any statistics the planner is right; on
-- an empty table ANALYZE writes none.
ANALYZE customer_scores;
