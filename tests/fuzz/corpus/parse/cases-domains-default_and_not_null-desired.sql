CREATE DOMAIN email AS text DEFAULT 'nobody@example.com' NOT NULL;
