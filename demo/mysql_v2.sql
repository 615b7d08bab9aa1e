-- What the team wants (the sample repository's second commit): refunds,
-- a country per customer, order times, and notes that are never NULL.
CREATE TABLE customers (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email varchar(200) NOT NULL,
    name varchar(100) NOT NULL,
    country char(2) NOT NULL DEFAULT 'US',
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY customers_email (email)
) ENGINE=InnoDB;

CREATE TABLE orders (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id bigint NOT NULL,
    status enum('pending','paid','shipped','refunded') NOT NULL DEFAULT 'pending',
    total decimal(10,2) NOT NULL,
    quantity int NOT NULL DEFAULT 1,
    note varchar(200) NOT NULL DEFAULT '',
    ordered_at datetime(3) NULL,
    KEY orders_customer_idx (customer_id),
    KEY orders_ordered_at_idx (ordered_at),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
        REFERENCES customers (id)
) ENGINE=InnoDB;

CREATE TABLE refunds (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id bigint NOT NULL,
    amount decimal(10,2) NOT NULL,
    reason varchar(200) NULL,
    CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB;
