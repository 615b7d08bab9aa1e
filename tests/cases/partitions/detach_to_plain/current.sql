-- The default partition leaves its parent as a plain table: DETACH
-- PARTITION, no copy.
CREATE TABLE tickets (id bigint NOT NULL, kind text NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE tickets_bug PARTITION OF tickets FOR VALUES IN ('bug');
CREATE TABLE tickets_other PARTITION OF tickets DEFAULT;
