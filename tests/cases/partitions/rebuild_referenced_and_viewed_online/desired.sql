CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, total numeric, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
CREATE TABLE orders_other PARTITION OF orders DEFAULT;
CREATE TABLE order_lines (order_id bigint NOT NULL, region text NOT NULL, item text,
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id, region) REFERENCES orders (id, region));
CREATE VIEW eu_orders AS SELECT id, total FROM orders WHERE region = 'eu';
CREATE FUNCTION orders_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_touch();
