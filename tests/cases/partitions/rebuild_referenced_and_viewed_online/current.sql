-- The plan of rebuild_referenced_and_viewed, online: A rebuilt table that a foreign key references and a view reads: both
-- step aside and come back on the new table.
CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, total numeric, PRIMARY KEY (id, region));
CREATE TABLE order_lines (order_id bigint NOT NULL, region text NOT NULL, item text,
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id, region) REFERENCES orders (id, region));
CREATE VIEW eu_orders AS SELECT id, total FROM orders WHERE region = 'eu';
CREATE FUNCTION orders_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
