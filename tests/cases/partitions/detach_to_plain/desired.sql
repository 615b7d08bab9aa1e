CREATE TABLE tickets (id bigint NOT NULL, kind text NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE tickets_bug PARTITION OF tickets FOR VALUES IN ('bug');
CREATE TABLE tickets_other (id bigint NOT NULL, kind text NOT NULL, body text);
