-- The schema the team wants (the sample repository's working tree).
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped');

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(200) NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    country char(2),
    api_key uuid NOT NULL DEFAULT gen_random_uuid(),
    CONSTRAINT customers_name_key UNIQUE (name)
);

COMMENT ON TABLE customers IS 'People who buy things';

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status order_status NOT NULL DEFAULT 'pending',
    total numeric(12,2) NOT NULL CHECK (total >= 0),
    quantity bigint NOT NULL DEFAULT 1,
    note text NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status = 'pending';

CREATE VIEW order_totals AS
    SELECT customer_id, sum(total) AS total, count(*) AS orders
    FROM orders GROUP BY customer_id;
