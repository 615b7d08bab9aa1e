-- A role may be named "PUBLIC" (quoted); a grant to it is not a grant to
-- everyone (the pseudo-role PUBLIC), and the two must never be confused.
-- (One grantee a table: pg_dump lists a table's grants in ACL order.)
CREATE TABLE secrets (id integer, secret text);
CREATE TABLE open (id integer, body text);
GRANT SELECT ON secrets TO "PUBLIC";
GRANT UPDATE (secret) ON secrets TO "PUBLIC";
GRANT SELECT, INSERT ON open TO PUBLIC;
