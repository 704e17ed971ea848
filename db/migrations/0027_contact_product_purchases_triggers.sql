-- Which products each customer bought (contact_product_purchases, in
-- db/schema/analytics.ts), kept by the database on every write of an order
-- or an order line, whoever makes it, in the same transaction. A line
-- counts while its order counts (not cancelled, not in the trash; the rule
-- of migrations 0018 and 0024) and names a product. Each trigger takes the
-- old rows' lines out and puts the new rows' in; a row whose count reaches
-- zero is deleted, so a row means "bought it" and the segment builder
-- reads the key alone.
CREATE TRIGGER `order_lines_contact_products_insert` AFTER INSERT ON `order_lines`
WHEN new.product_id IS NOT NULL BEGIN
  INSERT INTO contact_product_purchases (workspace_id, product_id, contact_id, lines)
    SELECT o.workspace_id, new.product_id, o.contact_id, 1 FROM orders o
    WHERE o.id = new.order_id AND o.workspace_id = new.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET lines = lines + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_contact_products_update` AFTER UPDATE OF product_id, order_id ON `order_lines`
WHEN old.product_id IS NOT new.product_id OR old.order_id <> new.order_id BEGIN
  UPDATE contact_product_purchases SET lines = lines - 1
    WHERE old.product_id IS NOT NULL AND workspace_id = old.workspace_id AND product_id = old.product_id
      AND contact_id = (SELECT o.contact_id FROM orders o
        WHERE o.id = old.order_id AND o.workspace_id = old.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL);
  DELETE FROM contact_product_purchases
    WHERE old.product_id IS NOT NULL AND workspace_id = old.workspace_id AND product_id = old.product_id
      AND contact_id = (SELECT o.contact_id FROM orders o WHERE o.id = old.order_id AND o.workspace_id = old.workspace_id)
      AND lines <= 0;
  INSERT INTO contact_product_purchases (workspace_id, product_id, contact_id, lines)
    SELECT o.workspace_id, new.product_id, o.contact_id, 1 FROM orders o
    WHERE new.product_id IS NOT NULL AND o.id = new.order_id AND o.workspace_id = new.workspace_id
      AND o.status <> 'cancelled' AND o.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET lines = lines + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_contact_products_delete` AFTER DELETE ON `order_lines`
WHEN old.product_id IS NOT NULL BEGIN
  UPDATE contact_product_purchases SET lines = lines - 1
    WHERE workspace_id = old.workspace_id AND product_id = old.product_id
      AND contact_id = (SELECT o.contact_id FROM orders o
        WHERE o.id = old.order_id AND o.workspace_id = old.workspace_id AND o.status <> 'cancelled' AND o.deleted_at IS NULL);
  DELETE FROM contact_product_purchases
    WHERE workspace_id = old.workspace_id AND product_id = old.product_id
      AND contact_id = (SELECT o.contact_id FROM orders o WHERE o.id = old.order_id AND o.workspace_id = old.workspace_id)
      AND lines <= 0;
END;
--> statement-breakpoint
-- Lines written before their order (lines usually follow it).
CREATE TRIGGER `orders_contact_products_insert` AFTER INSERT ON `orders`
WHEN new.status <> 'cancelled' AND new.deleted_at IS NULL BEGIN
  INSERT INTO contact_product_purchases (workspace_id, product_id, contact_id, lines)
    SELECT new.workspace_id, l.product_id, new.contact_id, count(*) FROM order_lines l
    WHERE l.workspace_id = new.workspace_id AND l.order_id = new.id AND l.product_id IS NOT NULL
    GROUP BY l.product_id
    ON CONFLICT DO UPDATE SET lines = lines + excluded.lines;
END;
--> statement-breakpoint
-- Counted before and after for the same customer (a refund, paid to
-- fulfilled): nothing to move.
CREATE TRIGGER `orders_contact_products_update` AFTER UPDATE OF status, deleted_at, contact_id ON `orders`
WHEN ((old.status <> 'cancelled' AND old.deleted_at IS NULL) OR (new.status <> 'cancelled' AND new.deleted_at IS NULL))
  AND NOT (old.status <> 'cancelled' AND old.deleted_at IS NULL AND new.status <> 'cancelled' AND new.deleted_at IS NULL
    AND old.contact_id = new.contact_id) BEGIN
  UPDATE contact_product_purchases SET lines = contact_product_purchases.lines - x.lines
    FROM (SELECT l.product_id, count(*) AS lines FROM order_lines l
      WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id AND l.product_id IS NOT NULL
      GROUP BY l.product_id) AS x
    WHERE old.status <> 'cancelled' AND old.deleted_at IS NULL
      AND contact_product_purchases.workspace_id = old.workspace_id AND contact_product_purchases.product_id = x.product_id
      AND contact_product_purchases.contact_id = old.contact_id;
  DELETE FROM contact_product_purchases
    WHERE workspace_id = old.workspace_id AND contact_id = old.contact_id AND lines <= 0
      AND product_id IN (SELECT l.product_id FROM order_lines l WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id);
  INSERT INTO contact_product_purchases (workspace_id, product_id, contact_id, lines)
    SELECT new.workspace_id, l.product_id, new.contact_id, count(*) FROM order_lines l
    WHERE new.status <> 'cancelled' AND new.deleted_at IS NULL
      AND l.workspace_id = new.workspace_id AND l.order_id = new.id AND l.product_id IS NOT NULL
    GROUP BY l.product_id
    ON CONFLICT DO UPDATE SET lines = lines + excluded.lines;
END;
--> statement-breakpoint
-- An order erased before its lines: they leave with it (erased after
-- them, each line's own trigger took it out).
CREATE TRIGGER `orders_contact_products_delete` AFTER DELETE ON `orders`
WHEN old.status <> 'cancelled' AND old.deleted_at IS NULL BEGIN
  UPDATE contact_product_purchases SET lines = contact_product_purchases.lines - x.lines
    FROM (SELECT l.product_id, count(*) AS lines FROM order_lines l
      WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id AND l.product_id IS NOT NULL
      GROUP BY l.product_id) AS x
    WHERE contact_product_purchases.workspace_id = old.workspace_id AND contact_product_purchases.product_id = x.product_id
      AND contact_product_purchases.contact_id = old.contact_id;
  DELETE FROM contact_product_purchases
    WHERE workspace_id = old.workspace_id AND contact_id = old.contact_id AND lines <= 0
      AND product_id IN (SELECT l.product_id FROM order_lines l WHERE l.workspace_id = old.workspace_id AND l.order_id = old.id);
END;
--> statement-breakpoint
-- The orders already written.
INSERT INTO contact_product_purchases (workspace_id, product_id, contact_id, lines)
  SELECT o.workspace_id, l.product_id, o.contact_id, count(*)
  FROM order_lines l JOIN orders o ON o.workspace_id = l.workspace_id AND o.id = l.order_id
  WHERE o.status <> 'cancelled' AND o.deleted_at IS NULL AND l.product_id IS NOT NULL
  GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Statistics beside the other tables' where a database has them (see
-- migration 0025's note).
ANALYZE contact_product_purchases;
--> statement-breakpoint
ANALYZE contacts;
