--
-- PostgreSQL database dump
--

\restrict pBfyDPU7aRysB93x5Arut05Nf5CzexetrSTlANLWsnNWLIvoEsrkJLc6KdDSNdw

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA audit;


--
-- Name: billing; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA billing;


--
-- Name: SCHEMA billing; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA billing IS 'subscriptions, invoices and payments';


--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: currency_code; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.currency_code AS character(3)
	CONSTRAINT currency_code_check CHECK ((VALUE ~ '^[A-Z]{3}$'::text));


--
-- Name: email; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.email AS text
	CONSTRAINT email_check CHECK ((VALUE ~* '^[^@\s]+@[^@\s]+$'::text));


--
-- Name: invoice_state; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.invoice_state AS ENUM (
    'draft',
    'open',
    'paid',
    'void',
    'uncollectible'
);


--
-- Name: money_amount; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.money_amount AS (
	amount numeric(14,2),
	currency character(3)
);


--
-- Name: numrange_money; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.numrange_money AS RANGE (
    subtype = numeric,
    multirange_type_name = billing.nummultirange_money
);


--
-- Name: plan_interval; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.plan_interval AS ENUM (
    'month',
    'quarter',
    'year'
);


--
-- Name: positive_amount; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.positive_amount AS numeric(14,2) NOT NULL
	CONSTRAINT positive_amount_check CHECK ((VALUE >= (0)::numeric));


--
-- Name: postal_address; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.postal_address AS (
	street text,
	city text,
	postal_code text,
	country character(2)
);


--
-- Name: log_change(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.log_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'audit'
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO audit.events (table_name, row_pk, action, old_row)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id::text, 'D', to_jsonb(OLD));
    RETURN OLD;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO audit.events (table_name, row_pk, action, old_row, new_row)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, NEW.id::text, 'U', to_jsonb(OLD), to_jsonb(NEW));
    RETURN NEW;
  END IF;
  INSERT INTO audit.events (table_name, row_pk, action, new_row)
  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, NEW.id::text, 'I', to_jsonb(NEW));
  RETURN NEW;
END;
$$;


--
-- Name: invoice_balance(bigint); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.invoice_balance(p_invoice_id bigint) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  SELECT i.total - coalesce((SELECT sum((p.amount).amount) FROM billing.payments p WHERE p.invoice_id = i.id), 0)
  FROM billing.invoices i WHERE i.id = p_invoice_id
$$;


--
-- Name: FUNCTION invoice_balance(p_invoice_id bigint); Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON FUNCTION billing.invoice_balance(p_invoice_id bigint) IS 'amount still due on an invoice';


--
-- Name: invoice_guard_state(); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.invoice_guard_state() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF OLD.state IN ('paid', 'void') THEN
    RAISE EXCEPTION 'invoice % is % and cannot change', OLD.number, OLD.state;
  END IF;
  RETURN NEW;
END;
$$;


--
-- Name: next_invoice_number(text); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.next_invoice_number(p_prefix text DEFAULT 'INV'::text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'billing'
    AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) + 1 INTO n FROM billing.invoices;
  RETURN p_prefix || '-' || to_char(now(), 'YYYY') || '-' || lpad(n::text, 6, '0');
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: events; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.events (
    id bigint NOT NULL,
    table_name text NOT NULL,
    row_pk text NOT NULL,
    action character(1) NOT NULL,
    old_row jsonb,
    new_row jsonb,
    actor text DEFAULT CURRENT_USER NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT events_action_check CHECK ((action = ANY (ARRAY['I'::bpchar, 'U'::bpchar, 'D'::bpchar])))
);
ALTER TABLE ONLY audit.events ALTER COLUMN table_name SET STATISTICS 200;


--
-- Name: TABLE events; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.events IS 'append-only change log written by audit.log_change()';


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: audit; Owner: -
--

ALTER TABLE audit.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: plans; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.plans (
    id integer NOT NULL,
    code text NOT NULL,
    name character varying(100) NOT NULL,
    billing_interval billing.plan_interval NOT NULL,
    unit_price billing.positive_amount,
    currency billing.currency_code NOT NULL,
    trial_days integer DEFAULT 0 NOT NULL,
    seat_range int4range DEFAULT '[1,)'::int4range NOT NULL,
    active boolean DEFAULT true NOT NULL,
    CONSTRAINT plans_trial_days_check CHECK (((trial_days >= 0) AND (trial_days <= 90)))
);


--
-- Name: subscriptions; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.subscriptions (
    id bigint NOT NULL,
    customer_id uuid NOT NULL,
    plan_id integer NOT NULL,
    seats integer DEFAULT 1 NOT NULL,
    active_during tstzrange NOT NULL,
    cancelled_at timestamp with time zone,
    CONSTRAINT subscriptions_period_nonempty CHECK ((NOT isempty(active_during))),
    CONSTRAINT subscriptions_seats_check CHECK ((seats > 0))
);


--
-- Name: active_subscriptions; Type: VIEW; Schema: billing; Owner: -
--

CREATE VIEW billing.active_subscriptions WITH (security_barrier='true') AS
 SELECT s.id,
    s.customer_id,
    p.code AS plan_code,
    s.seats,
    lower(s.active_during) AS started_at
   FROM (billing.subscriptions s
     JOIN billing.plans p ON ((p.id = s.plan_id)))
  WHERE ((s.active_during @> now()) AND (s.cancelled_at IS NULL));


--
-- Name: customers; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.customers (
    id uuid DEFAULT public.gen_random_uuid() NOT NULL,
    email billing.email NOT NULL,
    name text NOT NULL,
    billing_address billing.postal_address,
    tax_id text,
    currency billing.currency_code DEFAULT 'EUR'::bpchar NOT NULL,
    balance numeric(14,2) DEFAULT 0 NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_balance_check CHECK ((balance > '-1000000'::numeric))
);


--
-- Name: invoice_lines; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoice_lines (
    id bigint NOT NULL,
    invoice_id bigint NOT NULL,
    line_no smallint NOT NULL,
    description text NOT NULL,
    quantity numeric(12,3) DEFAULT 1 NOT NULL,
    unit_amount numeric(14,2) NOT NULL,
    amount numeric(14,2) GENERATED ALWAYS AS (round((quantity * unit_amount), 2)) STORED
);


--
-- Name: invoice_lines_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.invoice_lines ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME billing.invoice_lines_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: invoices; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoices (
    id bigint NOT NULL,
    customer_id uuid NOT NULL,
    subscription_id bigint,
    number text NOT NULL,
    state billing.invoice_state DEFAULT 'draft'::billing.invoice_state NOT NULL,
    period daterange NOT NULL,
    subtotal numeric(14,2) DEFAULT 0 NOT NULL,
    tax_rate numeric(5,4) DEFAULT 0 NOT NULL,
    tax numeric(14,2) GENERATED ALWAYS AS (round((subtotal * tax_rate), 2)) STORED,
    total numeric(14,2) GENERATED ALWAYS AS ((subtotal + round((subtotal * tax_rate), 2))) STORED,
    currency billing.currency_code NOT NULL,
    issued_at timestamp with time zone,
    due_at timestamp with time zone,
    CONSTRAINT invoices_due_after_issue CHECK (((due_at IS NULL) OR (issued_at IS NULL) OR (due_at >= issued_at))),
    CONSTRAINT invoices_tax_rate_check CHECK (((tax_rate >= (0)::numeric) AND (tax_rate < (1)::numeric)))
);


--
-- Name: invoices_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.invoices ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME billing.invoices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: monthly_revenue; Type: MATERIALIZED VIEW; Schema: billing; Owner: -
--

CREATE MATERIALIZED VIEW billing.monthly_revenue AS
 SELECT date_trunc('month'::text, i.issued_at) AS month,
    i.currency,
    sum(i.total) AS revenue,
    count(*) AS invoices
   FROM billing.invoices i
  WHERE (i.state = 'paid'::billing.invoice_state)
  GROUP BY (date_trunc('month'::text, i.issued_at)), i.currency
  WITH NO DATA;


--
-- Name: open_invoices; Type: VIEW; Schema: billing; Owner: -
--

CREATE VIEW billing.open_invoices AS
 SELECT i.id,
    i.number,
    c.email,
    i.total,
    billing.invoice_balance(i.id) AS balance,
    i.due_at
   FROM (billing.invoices i
     JOIN billing.customers c ON ((c.id = i.customer_id)))
  WHERE (i.state = 'open'::billing.invoice_state);


--
-- Name: payments; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.payments (
    id bigint NOT NULL,
    invoice_id bigint NOT NULL,
    amount billing.money_amount NOT NULL,
    provider text NOT NULL,
    provider_ref text,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    legacy_gateway_id text,
    CONSTRAINT payments_provider_check CHECK ((provider = ANY (ARRAY['stripe'::text, 'sepa'::text, 'manual'::text])))
);


--
-- Name: payments_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.payments ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME billing.payments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: plans_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.plans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME billing.plans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: price_tiers; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.price_tiers (
    plan_id integer NOT NULL,
    seats int4range NOT NULL,
    unit_price numeric(14,2) NOT NULL
);


--
-- Name: subscriptions_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.subscriptions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME billing.subscriptions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: invoice_lines invoice_lines_invoice_line_key; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_line_key UNIQUE (invoice_id, line_no) DEFERRABLE;


--
-- Name: invoice_lines invoice_lines_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_pkey PRIMARY KEY (id);


--
-- Name: invoices invoices_number_key; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_number_key UNIQUE (number) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);


--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);


--
-- Name: plans plans_code_key; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.plans
    ADD CONSTRAINT plans_code_key UNIQUE (code);


--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);


--
-- Name: price_tiers price_tiers_no_overlap; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.price_tiers
    ADD CONSTRAINT price_tiers_no_overlap EXCLUDE USING gist (plan_id WITH =, seats WITH &&);


--
-- Name: price_tiers price_tiers_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.price_tiers
    ADD CONSTRAINT price_tiers_pkey PRIMARY KEY (plan_id, seats);


--
-- Name: subscriptions subscriptions_no_overlap; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_no_overlap EXCLUDE USING gist (customer_id WITH =, plan_id WITH =, active_during WITH &&) WHERE ((cancelled_at IS NULL));


--
-- Name: subscriptions subscriptions_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (id);


--
-- Name: events_at_brin; Type: INDEX; Schema: audit; Owner: -
--

CREATE INDEX events_at_brin ON audit.events USING brin (at) WITH (pages_per_range='64');


--
-- Name: events_table_row_idx; Type: INDEX; Schema: audit; Owner: -
--

CREATE INDEX events_table_row_idx ON audit.events USING btree (table_name, row_pk, at DESC);


--
-- Name: customers_lower_email_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX customers_lower_email_idx ON billing.customers USING btree (lower((email)::text));


--
-- Name: customers_metadata_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX customers_metadata_idx ON billing.customers USING gin (metadata);


--
-- Name: invoices_customer_state_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_customer_state_idx ON billing.invoices USING btree (customer_id, state) WHERE (state = ANY (ARRAY['open'::billing.invoice_state, 'uncollectible'::billing.invoice_state]));


--
-- Name: invoices_period_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_period_idx ON billing.invoices USING gist (period);


--
-- Name: monthly_revenue_month_currency_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE UNIQUE INDEX monthly_revenue_month_currency_idx ON billing.monthly_revenue USING btree (month, currency);


--
-- Name: payments_invoice_id_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX payments_invoice_id_idx ON billing.payments USING btree (invoice_id);


--
-- Name: payments_provider_ref_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE UNIQUE INDEX payments_provider_ref_idx ON billing.payments USING btree (provider, provider_ref) WHERE (provider_ref IS NOT NULL);


--
-- Name: subscriptions_active_during_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX subscriptions_active_during_idx ON billing.subscriptions USING gist (active_during);


--
-- Name: subscriptions_customer_id_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX subscriptions_customer_id_idx ON billing.subscriptions USING btree (customer_id);


--
-- Name: invoice_lines invoice_lines_check_invoice; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE CONSTRAINT TRIGGER invoice_lines_check_invoice AFTER INSERT OR UPDATE ON billing.invoice_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing.invoice_guard_state();


--
-- Name: invoices invoices_audit; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE TRIGGER invoices_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION audit.log_change();


--
-- Name: invoices invoices_guard_state; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE TRIGGER invoices_guard_state BEFORE UPDATE ON billing.invoices FOR EACH ROW WHEN ((old.state = ANY (ARRAY['paid'::billing.invoice_state, 'void'::billing.invoice_state]))) EXECUTE FUNCTION billing.invoice_guard_state();


--
-- Name: payments payments_audit; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE TRIGGER payments_audit AFTER INSERT OR DELETE OR UPDATE ON billing.payments FOR EACH ROW EXECUTE FUNCTION audit.log_change();


--
-- Name: invoice_lines invoice_lines_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: invoices invoices_customer_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES billing.customers(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: invoices invoices_subscription_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES billing.subscriptions(id) ON DELETE SET NULL NOT VALID;


--
-- Name: payments payments_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) MATCH FULL;


--
-- Name: price_tiers price_tiers_plan_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.price_tiers
    ADD CONSTRAINT price_tiers_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES billing.plans(id) ON DELETE CASCADE;


--
-- Name: subscriptions subscriptions_customer_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES billing.customers(id) ON DELETE CASCADE;


--
-- Name: subscriptions subscriptions_plan_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES billing.plans(id);


--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA audit TO app_owner;


--
-- Name: SCHEMA billing; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA billing TO app_reader;
GRANT USAGE ON SCHEMA billing TO app_writer;


--
-- Name: FUNCTION next_invoice_number(p_prefix text); Type: ACL; Schema: billing; Owner: -
--

REVOKE ALL ON FUNCTION billing.next_invoice_number(p_prefix text) FROM PUBLIC;
GRANT ALL ON FUNCTION billing.next_invoice_number(p_prefix text) TO app_writer;


--
-- Name: TABLE events; Type: ACL; Schema: audit; Owner: -
--

GRANT SELECT ON TABLE audit.events TO app_owner;


--
-- Name: TABLE plans; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.plans TO app_reader;


--
-- Name: TABLE subscriptions; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.subscriptions TO app_reader;


--
-- Name: TABLE active_subscriptions; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.active_subscriptions TO app_reader;


--
-- Name: TABLE customers; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.customers TO app_reader;


--
-- Name: TABLE invoice_lines; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.invoice_lines TO app_reader;
GRANT SELECT,INSERT,UPDATE ON TABLE billing.invoice_lines TO app_writer;


--
-- Name: TABLE invoices; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.invoices TO app_reader;
GRANT SELECT,INSERT,UPDATE ON TABLE billing.invoices TO app_writer;


--
-- Name: TABLE monthly_revenue; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.monthly_revenue TO app_reader;


--
-- Name: TABLE open_invoices; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.open_invoices TO app_reader;


--
-- Name: TABLE payments; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.payments TO app_reader;
GRANT SELECT,INSERT,UPDATE ON TABLE billing.payments TO app_writer;


--
-- Name: TABLE price_tiers; Type: ACL; Schema: billing; Owner: -
--

GRANT SELECT ON TABLE billing.price_tiers TO app_reader;


--
-- PostgreSQL database dump complete
--

\unrestrict pBfyDPU7aRysB93x5Arut05Nf5CzexetrSTlANLWsnNWLIvoEsrkJLc6KdDSNdw

