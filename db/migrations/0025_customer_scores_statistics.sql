-- Statistics for customer_scores_ws_segment_contact (migration 0023)
-- beside the others': a database analyzed before it came (the seeded
-- demo, the benches) otherwise takes it, with no statistics, for the
-- at-risk page over customer_scores_ws_churn and sorts (1 ms to 20 ms).
-- Without any statistics the planner is right; on an empty table ANALYZE
-- writes none.
ANALYZE customer_scores;
