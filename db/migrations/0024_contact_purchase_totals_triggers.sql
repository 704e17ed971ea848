-- Each customer's purchases per currency (contact_purchase_totals, in
-- db/schema/analytics.ts), kept by the database on every write of an
-- order, whoever makes it, in the same transaction, with the rule the
-- other running totals count by (migration 0018): an order counts when it
-- is not cancelled and not in the trash, for max(0, total - refunded).
-- Each trigger takes the old row's contribution out and puts the new
-- row's in. The last purchase only grows as orders come in; when the order
-- that was the last one leaves (or moves earlier), it is looked up again in
-- that customer's orders (orders_ws_contact).
CREATE TRIGGER `orders_contact_totals_insert` AFTER INSERT ON `orders`
WHEN new.status <> 'cancelled' AND new.deleted_at IS NULL BEGIN
  INSERT INTO contact_purchase_totals (workspace_id, contact_id, currency, orders, revenue, last_order_at)
    VALUES (new.workspace_id, new.contact_id, new.currency, 1, max(0, new.total - new.refunded), new.ordered_at)
    ON CONFLICT DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue,
      last_order_at = max(coalesce(last_order_at, excluded.last_order_at), excluded.last_order_at);
END;
--> statement-breakpoint
CREATE TRIGGER `orders_contact_totals_update` AFTER UPDATE OF status, deleted_at, ordered_at, currency, total, refunded, contact_id ON `orders`
WHEN (old.status <> 'cancelled' AND old.deleted_at IS NULL) OR (new.status <> 'cancelled' AND new.deleted_at IS NULL) BEGIN
  UPDATE contact_purchase_totals SET orders = orders - 1, revenue = revenue - max(0, old.total - old.refunded)
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND workspace_id = old.workspace_id AND contact_id = old.contact_id AND currency = old.currency;
  INSERT INTO contact_purchase_totals (workspace_id, contact_id, currency, orders, revenue, last_order_at)
    SELECT new.workspace_id, new.contact_id, new.currency, 1, max(0, new.total - new.refunded), new.ordered_at
    WHERE new.status <> 'cancelled' AND new.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue,
      last_order_at = max(coalesce(last_order_at, excluded.last_order_at), excluded.last_order_at);
  UPDATE contact_purchase_totals SET last_order_at = (
      SELECT max(o.ordered_at) FROM orders o
      WHERE o.workspace_id = old.workspace_id AND o.contact_id = old.contact_id AND o.currency = old.currency
        AND o.deleted_at IS NULL AND o.status <> 'cancelled')
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND workspace_id = old.workspace_id AND contact_id = old.contact_id AND currency = old.currency
      AND last_order_at <= old.ordered_at;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_contact_totals_delete` AFTER DELETE ON `orders`
WHEN old.status <> 'cancelled' AND old.deleted_at IS NULL BEGIN
  UPDATE contact_purchase_totals SET orders = orders - 1, revenue = revenue - max(0, old.total - old.refunded)
    WHERE workspace_id = old.workspace_id AND contact_id = old.contact_id AND currency = old.currency;
  UPDATE contact_purchase_totals SET last_order_at = (
      SELECT max(o.ordered_at) FROM orders o
      WHERE o.workspace_id = old.workspace_id AND o.contact_id = old.contact_id AND o.currency = old.currency
        AND o.deleted_at IS NULL AND o.status <> 'cancelled')
    WHERE workspace_id = old.workspace_id AND contact_id = old.contact_id AND currency = old.currency
      AND last_order_at <= old.ordered_at;
END;
--> statement-breakpoint
-- The orders already written.
INSERT INTO contact_purchase_totals (workspace_id, contact_id, currency, orders, revenue, last_order_at)
  SELECT workspace_id, contact_id, currency, count(*), sum(max(0, total - refunded)), max(ordered_at)
  FROM orders WHERE status <> 'cancelled' AND deleted_at IS NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Statistics beside the other tables' where a database has them (see
-- migration 0025's note).
ANALYZE contact_purchase_totals;
