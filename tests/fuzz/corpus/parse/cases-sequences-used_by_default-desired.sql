CREATE SEQUENCE order_ref_seq START 100;
CREATE TABLE orders (id bigint, ref text DEFAULT 'ORD-' || nextval('order_ref_seq'));
