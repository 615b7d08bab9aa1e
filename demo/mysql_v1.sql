-- The shop's schema as deployed today (the sample repository's first
-- commit), MySQL / MariaDB edition.
CREATE TABLE customers (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email varchar(200) NOT NULL,
    name varchar(100) NOT NULL,
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY customers_email (email)
) ENGINE=InnoDB;

CREATE TABLE orders (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id bigint NOT NULL,
    status enum('pending','paid','shipped') NOT NULL DEFAULT 'pending',
    total decimal(10,2) NOT NULL,
    quantity int NOT NULL DEFAULT 1,
    note varchar(100),
    KEY orders_customer_idx (customer_id),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
        REFERENCES customers (id)
) ENGINE=InnoDB;
