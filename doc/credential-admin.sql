-- The admin login of git schemig's one-shot credentials (an environment's
-- `credential: {admin_url: env:NAME}`), with the least it needs: it makes a
-- login for each apply, grants it the roles that own the application's
-- objects, and drops it. It is not a superuser and cannot use the owners'
-- privileges itself.
--
--   psql -v admin=schemig_admin -v owners=app_owner -v password=... \
--        -f doc/credential-admin.sql
--
-- owners: the roles owning the objects plans touch, comma-separated without
-- spaces ("app_owner,billing_owner"); run it as a superuser or a role with
-- ADMIN OPTION on them. Then set the variable admin_url names to a URL of
-- the same server as that login (any database).
\set ON_ERROR_STOP on

SELECT current_setting('server_version_num')::int >= 160000 AS pg16 \gset

CREATE ROLE :"admin" LOGIN CREATEROLE NOSUPERUSER NOCREATEDB NOREPLICATION
    NOBYPASSRLS PASSWORD :'password';

-- From PostgreSQL 16, CREATEROLE grants only roles held WITH ADMIN OPTION;
-- INHERIT FALSE and SET FALSE keep the owners' privileges away from the
-- admin itself. (PostgreSQL 15 and older let CREATEROLE grant any role that
-- is not a superuser: nothing to grant there.)
\if :pg16
SELECT format('GRANT %I TO %I WITH ADMIN OPTION, INHERIT FALSE, SET FALSE',
              owner, :'admin')
  FROM unnest(string_to_array(:'owners', ',')) AS owner \gexec
\endif
