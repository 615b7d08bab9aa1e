CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE MATERIALIZED VIEW daily_totals AS SELECT placed_at, sum(amount) AS total FROM orders GROUP BY placed_at WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_idx ON daily_totals (placed_at);
