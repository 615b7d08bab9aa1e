CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'pending',
    total numeric(10,2) NOT NULL CHECK (total >= 0),
    quantity integer NOT NULL DEFAULT 1,
    note varchar(100)
);
