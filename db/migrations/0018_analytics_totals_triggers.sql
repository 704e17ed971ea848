-- The dashboards' running totals (db/schema/analytics.ts), kept by the
-- database itself: every write of an order or an order line, whoever makes
-- it (API, CSV import, bulk endpoint, a script), updates them in the same
-- transaction, so revenue charts never lag behind an import. An order
-- counts when it is not cancelled and not in the trash; its month is its
-- UTC calendar month; its revenue is total - refunded, never below zero.
-- A line's revenue is its total less its order's refund pro rata.
--
-- Each update trigger takes the old row's contribution out and puts the
-- new row's in, with the same arithmetic, so totals never drift.
CREATE TRIGGER `orders_totals_insert` AFTER INSERT ON `orders`
WHEN new.status <> 'cancelled' AND new.deleted_at IS NULL BEGIN
  INSERT INTO order_month_totals (workspace_id, month, currency, orders, revenue)
    VALUES (new.workspace_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), new.currency, 1, max(0, new.total - new.refunded))
    ON CONFLICT DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
  -- A customer of the month from their first counted order in it on.
  INSERT INTO month_customers (workspace_id, month, customers)
    SELECT new.workspace_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), 1
    WHERE NOT EXISTS (
      SELECT 1 FROM orders o
      WHERE o.workspace_id = new.workspace_id AND o.contact_id = new.contact_id AND o.deleted_at IS NULL
        AND o.ordered_at >= CAST(strftime('%s', strftime('%Y-%m-01', new.ordered_at / 1000, 'unixepoch')) AS INTEGER) * 1000
        AND o.ordered_at < CAST(strftime('%s', strftime('%Y-%m-01', new.ordered_at / 1000, 'unixepoch'), '+1 month') AS INTEGER) * 1000
        AND o.status <> 'cancelled' AND o.id <> new.id)
    ON CONFLICT DO UPDATE SET customers = customers + 1;
  -- Lines written before their order (lines usually follow it).
  INSERT INTO product_month_totals (workspace_id, product_id, month, currency, units, revenue)
    SELECT new.workspace_id, l.product_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), new.currency, sum(l.quantity),
      sum(CASE WHEN new.total > 0 THEN l.total * max(0, new.total - new.refunded) / new.total ELSE 0 END)
    FROM order_lines l
    WHERE l.workspace_id = new.workspace_id AND l.order_id = new.id AND l.product_id IS NOT NULL
    GROUP BY l.product_id
    ON CONFLICT DO UPDATE SET units = units + excluded.units, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_totals_update` AFTER UPDATE OF status, deleted_at, ordered_at, currency, total, refunded, contact_id ON `orders`
WHEN (old.status <> 'cancelled' AND old.deleted_at IS NULL) OR (new.status <> 'cancelled' AND new.deleted_at IS NULL) BEGIN
  UPDATE order_month_totals SET orders = orders - 1, revenue = revenue - max(0, old.total - old.refunded)
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND workspace_id = old.workspace_id AND month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch') AND currency = old.currency;
  INSERT INTO order_month_totals (workspace_id, month, currency, orders, revenue)
    SELECT new.workspace_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), new.currency, 1, max(0, new.total - new.refunded)
    WHERE new.status <> 'cancelled' AND new.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
  -- The old month loses the customer if no counted order of theirs is
  -- left in it (this row's new state included).
  UPDATE month_customers SET customers = customers - 1
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND workspace_id = old.workspace_id AND month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch')
      AND NOT EXISTS (
        SELECT 1 FROM orders o
        WHERE o.workspace_id = old.workspace_id AND o.contact_id = old.contact_id AND o.deleted_at IS NULL
          AND o.ordered_at >= CAST(strftime('%s', strftime('%Y-%m-01', old.ordered_at / 1000, 'unixepoch')) AS INTEGER) * 1000
          AND o.ordered_at < CAST(strftime('%s', strftime('%Y-%m-01', old.ordered_at / 1000, 'unixepoch'), '+1 month') AS INTEGER) * 1000
          AND o.status <> 'cancelled');
  -- The new month gains them unless they were its customer already (by
  -- another order, or by this one before the change).
  INSERT INTO month_customers (workspace_id, month, customers)
    SELECT new.workspace_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), 1
    WHERE new.status <> 'cancelled' AND new.deleted_at IS NULL
      AND NOT (old.status <> 'cancelled' AND old.deleted_at IS NULL AND old.contact_id = new.contact_id
        AND strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch') = strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'))
      AND NOT EXISTS (
        SELECT 1 FROM orders o
        WHERE o.workspace_id = new.workspace_id AND o.contact_id = new.contact_id AND o.deleted_at IS NULL
          AND o.ordered_at >= CAST(strftime('%s', strftime('%Y-%m-01', new.ordered_at / 1000, 'unixepoch')) AS INTEGER) * 1000
          AND o.ordered_at < CAST(strftime('%s', strftime('%Y-%m-01', new.ordered_at / 1000, 'unixepoch'), '+1 month') AS INTEGER) * 1000
          AND o.status <> 'cancelled' AND o.id <> new.id)
    ON CONFLICT DO UPDATE SET customers = customers + 1;
  -- Several lines of one product are summed first: an UPDATE … FROM
  -- applies one matching row per target.
  UPDATE product_month_totals SET units = product_month_totals.units - x.units, revenue = product_month_totals.revenue - x.revenue
    FROM (
      SELECT l.product_id, sum(l.quantity) AS units,
        sum(CASE WHEN old.total > 0 THEN l.total * max(0, old.total - old.refunded) / old.total ELSE 0 END) AS revenue
      FROM order_lines l
      WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id AND l.product_id IS NOT NULL
      GROUP BY l.product_id) AS x
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND product_month_totals.workspace_id = old.workspace_id AND product_month_totals.month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch')
      AND product_month_totals.currency = old.currency AND product_month_totals.product_id = x.product_id;
  INSERT INTO product_month_totals (workspace_id, product_id, month, currency, units, revenue)
    SELECT new.workspace_id, l.product_id, strftime('%Y-%m', new.ordered_at / 1000, 'unixepoch'), new.currency, sum(l.quantity),
      sum(CASE WHEN new.total > 0 THEN l.total * max(0, new.total - new.refunded) / new.total ELSE 0 END)
    FROM order_lines l
    WHERE new.status <> 'cancelled' AND new.deleted_at IS NULL
      AND l.workspace_id = new.workspace_id AND l.order_id = new.id AND l.product_id IS NOT NULL
    GROUP BY l.product_id
    ON CONFLICT DO UPDATE SET units = units + excluded.units, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_totals_delete` AFTER DELETE ON `orders`
WHEN old.status <> 'cancelled' AND old.deleted_at IS NULL BEGIN
  UPDATE order_month_totals SET orders = orders - 1, revenue = revenue - max(0, old.total - old.refunded)
    WHERE workspace_id = old.workspace_id AND month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch') AND currency = old.currency;
  UPDATE month_customers SET customers = customers - 1
    WHERE workspace_id = old.workspace_id AND month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch')
      AND NOT EXISTS (
        SELECT 1 FROM orders o
        WHERE o.workspace_id = old.workspace_id AND o.contact_id = old.contact_id AND o.deleted_at IS NULL
          AND o.ordered_at >= CAST(strftime('%s', strftime('%Y-%m-01', old.ordered_at / 1000, 'unixepoch')) AS INTEGER) * 1000
          AND o.ordered_at < CAST(strftime('%s', strftime('%Y-%m-01', old.ordered_at / 1000, 'unixepoch'), '+1 month') AS INTEGER) * 1000
          AND o.status <> 'cancelled');
  UPDATE product_month_totals SET units = product_month_totals.units - x.units, revenue = product_month_totals.revenue - x.revenue
    FROM (
      SELECT l.product_id, sum(l.quantity) AS units,
        sum(CASE WHEN old.total > 0 THEN l.total * max(0, old.total - old.refunded) / old.total ELSE 0 END) AS revenue
      FROM order_lines l
      WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id AND l.product_id IS NOT NULL
      GROUP BY l.product_id) AS x
    WHERE product_month_totals.workspace_id = old.workspace_id AND product_month_totals.month = strftime('%Y-%m', old.ordered_at / 1000, 'unixepoch')
      AND product_month_totals.currency = old.currency AND product_month_totals.product_id = x.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_totals_insert` AFTER INSERT ON `order_lines`
WHEN new.product_id IS NOT NULL BEGIN
  INSERT INTO product_month_totals (workspace_id, product_id, month, currency, units, revenue)
    SELECT o.workspace_id, new.product_id, strftime('%Y-%m', o.ordered_at / 1000, 'unixepoch'), o.currency, new.quantity,
      CASE WHEN o.total > 0 THEN new.total * max(0, o.total - o.refunded) / o.total ELSE 0 END
    FROM orders o
    WHERE o.id = new.order_id AND o.workspace_id = new.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET units = units + excluded.units, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_totals_update` AFTER UPDATE OF product_id, quantity, total, order_id ON `order_lines` BEGIN
  UPDATE product_month_totals
    SET units = product_month_totals.units - old.quantity, revenue = product_month_totals.revenue - CASE WHEN o.total > 0 THEN old.total * max(0, o.total - o.refunded) / o.total ELSE 0 END
    FROM orders o
    WHERE old.product_id IS NOT NULL AND o.id = old.order_id AND o.workspace_id = old.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL
      AND product_month_totals.workspace_id = old.workspace_id AND product_month_totals.product_id = old.product_id
      AND product_month_totals.month = strftime('%Y-%m', o.ordered_at / 1000, 'unixepoch') AND product_month_totals.currency = o.currency;
  INSERT INTO product_month_totals (workspace_id, product_id, month, currency, units, revenue)
    SELECT o.workspace_id, new.product_id, strftime('%Y-%m', o.ordered_at / 1000, 'unixepoch'), o.currency, new.quantity,
      CASE WHEN o.total > 0 THEN new.total * max(0, o.total - o.refunded) / o.total ELSE 0 END
    FROM orders o
    WHERE new.product_id IS NOT NULL AND o.id = new.order_id AND o.workspace_id = new.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET units = units + excluded.units, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_totals_delete` AFTER DELETE ON `order_lines`
WHEN old.product_id IS NOT NULL BEGIN
  UPDATE product_month_totals
    SET units = product_month_totals.units - old.quantity, revenue = product_month_totals.revenue - CASE WHEN o.total > 0 THEN old.total * max(0, o.total - o.refunded) / o.total ELSE 0 END
    FROM orders o
    WHERE o.id = old.order_id AND o.workspace_id = old.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL
      AND product_month_totals.workspace_id = old.workspace_id AND product_month_totals.product_id = old.product_id
      AND product_month_totals.month = strftime('%Y-%m', o.ordered_at / 1000, 'unixepoch') AND product_month_totals.currency = o.currency;
END;
--> statement-breakpoint
-- The orders already written.
INSERT INTO order_month_totals (workspace_id, month, currency, orders, revenue)
  SELECT workspace_id, strftime('%Y-%m', ordered_at / 1000, 'unixepoch'), currency, count(*), sum(max(0, total - refunded))
  FROM orders WHERE status <> 'cancelled' AND deleted_at IS NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO month_customers (workspace_id, month, customers)
  SELECT workspace_id, strftime('%Y-%m', ordered_at / 1000, 'unixepoch'), count(DISTINCT contact_id)
  FROM orders WHERE status <> 'cancelled' AND deleted_at IS NULL GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO product_month_totals (workspace_id, product_id, month, currency, units, revenue)
  SELECT o.workspace_id, l.product_id, strftime('%Y-%m', o.ordered_at / 1000, 'unixepoch'), o.currency, sum(l.quantity),
    sum(CASE WHEN o.total > 0 THEN l.total * max(0, o.total - o.refunded) / o.total ELSE 0 END)
  FROM order_lines l JOIN orders o ON o.workspace_id = l.workspace_id AND o.id = l.order_id
  WHERE o.status <> 'cancelled' AND o.deleted_at IS NULL AND l.product_id IS NOT NULL
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- The nightly scores by RFM cell, tier and month of the last purchase
-- (score_cells), kept the same way: the segmentation writes
-- customer_scores, and the grid and the tiers read a few hundred cells.
CREATE TRIGGER `customer_scores_cells_insert` AFTER INSERT ON `customer_scores` BEGIN
  INSERT INTO score_cells (workspace_id, r, fm, tier, last_month, customers, revenue)
    VALUES (new.workspace_id, new.r, (new.f + new.m + 1) / 2, new.tier, strftime('%Y-%m', new.last_order_at / 1000, 'unixepoch'), 1, new.revenue)
    ON CONFLICT DO UPDATE SET customers = customers + 1, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_scores_cells_update` AFTER UPDATE OF r, f, m, tier, last_order_at, revenue ON `customer_scores` BEGIN
  UPDATE score_cells SET customers = customers - 1, revenue = revenue - old.revenue
    WHERE workspace_id = old.workspace_id AND last_month = strftime('%Y-%m', old.last_order_at / 1000, 'unixepoch')
      AND r = old.r AND fm = (old.f + old.m + 1) / 2 AND tier = old.tier;
  INSERT INTO score_cells (workspace_id, r, fm, tier, last_month, customers, revenue)
    VALUES (new.workspace_id, new.r, (new.f + new.m + 1) / 2, new.tier, strftime('%Y-%m', new.last_order_at / 1000, 'unixepoch'), 1, new.revenue)
    ON CONFLICT DO UPDATE SET customers = customers + 1, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_scores_cells_delete` AFTER DELETE ON `customer_scores` BEGIN
  UPDATE score_cells SET customers = customers - 1, revenue = revenue - old.revenue
    WHERE workspace_id = old.workspace_id AND last_month = strftime('%Y-%m', old.last_order_at / 1000, 'unixepoch')
      AND r = old.r AND fm = (old.f + old.m + 1) / 2 AND tier = old.tier;
END;
--> statement-breakpoint
INSERT INTO score_cells (workspace_id, r, fm, tier, last_month, customers, revenue)
  SELECT workspace_id, r, (f + m + 1) / 2, tier, strftime('%Y-%m', last_order_at / 1000, 'unixepoch'), count(*), sum(revenue)
  FROM customer_scores GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
-- A run's movements between segments (segment_moves; '' for first
-- scored), kept from the score history the segmentation writes.
CREATE TRIGGER `customer_score_changes_moves_insert` AFTER INSERT ON `customer_score_changes` BEGIN
  INSERT INTO segment_moves (workspace_id, run_id, from_segment, to_segment, customers)
    VALUES (new.workspace_id, new.run_id, coalesce(new.from_segment, ''), new.to_segment, 1)
    ON CONFLICT DO UPDATE SET customers = customers + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_score_changes_moves_update` AFTER UPDATE OF run_id, from_segment, to_segment ON `customer_score_changes` BEGIN
  UPDATE segment_moves SET customers = customers - 1
    WHERE workspace_id = old.workspace_id AND run_id = old.run_id AND from_segment = coalesce(old.from_segment, '') AND to_segment = old.to_segment;
  INSERT INTO segment_moves (workspace_id, run_id, from_segment, to_segment, customers)
    VALUES (new.workspace_id, new.run_id, coalesce(new.from_segment, ''), new.to_segment, 1)
    ON CONFLICT DO UPDATE SET customers = customers + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_score_changes_moves_delete` AFTER DELETE ON `customer_score_changes` BEGIN
  UPDATE segment_moves SET customers = customers - 1
    WHERE workspace_id = old.workspace_id AND run_id = old.run_id AND from_segment = coalesce(old.from_segment, '') AND to_segment = old.to_segment;
END;
--> statement-breakpoint
INSERT INTO segment_moves (workspace_id, run_id, from_segment, to_segment, customers)
  SELECT workspace_id, run_id, coalesce(from_segment, ''), to_segment, count(*) FROM customer_score_changes GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- At-risk customers by lifetime value: a partial index of those segments
-- alone, in value order and holding every column the page reads, so a
-- page is its first 50 entries (the query names the segments as these
-- literals, which is what lets SQLite use it). Here rather than in
-- db/schema/scores.ts, which the segmentation owns.
CREATE INDEX `customer_scores_ws_at_risk` ON `customer_scores` (`workspace_id`, `lifetime_revenue`, `contact_id`, `segment`, `churn_risk`, `last_order_at`)
  WHERE segment IN ('cant_lose', 'at_risk', 'about_to_sleep');
