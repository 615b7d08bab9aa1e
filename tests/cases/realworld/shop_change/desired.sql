--
-- PostgreSQL database dump
--

\restrict u6FqtiiET0qkK5s1RnTU9vdT2qgY9uPVkbXfeDHyQ5ZhtiF5mJty4L6lodSDZuJ

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
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: order_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.order_status AS ENUM (
    'pending',
    'paid',
    'on_hold',
    'shipped',
    'delivered',
    'cancelled',
    'refunded'
);


--
-- Name: user_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.user_role AS ENUM (
    'customer',
    'staff',
    'admin'
);


--
-- Name: cents_sum_state(bigint, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.cents_sum_state(state bigint, value integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT state + value $$;


--
-- Name: order_total_cents(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.order_total_cents(p_order_id bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(sum(quantity::bigint * unit_price_cents), 0)
  FROM public.order_items WHERE order_id = p_order_id
$$;


--
-- Name: products_search_vector_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.products_search_vector_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B');
  RETURN NEW;
END;
$$;


--
-- Name: set_updated_at(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := clock_timestamp();
  END IF;
  RETURN NEW;
END;
$$;


--
-- Name: sum_cents(integer); Type: AGGREGATE; Schema: public; Owner: -
--

CREATE AGGREGATE public.sum_cents(integer) (
    SFUNC = public.cents_sum_state,
    STYPE = bigint,
    INITCOND = '0'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: addresses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.addresses (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    line1 character varying NOT NULL,
    line2 character varying,
    city character varying NOT NULL,
    postal_code character varying(20),
    country_code character(2) NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT addresses_country_code_check CHECK ((country_code ~ '^[A-Z]{2}$'::text))
);


--
-- Name: addresses_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.addresses_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: addresses_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.addresses_id_seq OWNED BY public.addresses.id;


--
-- Name: ar_internal_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.categories (
    id bigint NOT NULL,
    parent_id bigint,
    name character varying NOT NULL,
    slug character varying NOT NULL,
    "position" integer DEFAULT 0 NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: categories_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.categories_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: categories_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.categories_id_seq OWNED BY public.categories.id;


--
-- Name: coupons; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coupons (
    id bigint NOT NULL,
    code character varying(40) NOT NULL,
    percent_off smallint NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT coupons_percent_off_check CHECK (((percent_off >= 1) AND (percent_off <= 100)))
);


--
-- Name: coupons_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.coupons_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: coupons_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.coupons_id_seq OWNED BY public.coupons.id;


--
-- Name: invoices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invoices (
    id bigint NOT NULL,
    order_id bigint NOT NULL,
    invoice_number integer NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: invoice_number_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invoice_number_seq
    START WITH 10000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: invoice_number_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.invoice_number_seq OWNED BY public.invoices.invoice_number;


--
-- Name: invoices_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invoices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: invoices_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.invoices_id_seq OWNED BY public.invoices.id;


--
-- Name: order_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.order_items (
    id bigint NOT NULL,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    unit_price_cents integer NOT NULL,
    CONSTRAINT order_items_quantity_check CHECK ((quantity > 0))
);


--
-- Name: order_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.order_items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: order_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.order_items_id_seq OWNED BY public.order_items.id;


--
-- Name: orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    shipping_address_id bigint,
    number character varying(32) NOT NULL,
    status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    notes text,
    placed_at timestamp with time zone,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    coupon_id bigint,
    CONSTRAINT orders_total_cents_check CHECK ((total_cents >= 0))
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    email character varying(255) NOT NULL,
    encrypted_password character varying DEFAULT ''::character varying NOT NULL,
    first_name text,
    last_name character varying(100),
    role public.user_role DEFAULT 'customer'::public.user_role NOT NULL,
    reset_password_token character varying,
    reset_password_sent_at timestamp(6) without time zone,
    sign_in_count integer DEFAULT 0 NOT NULL,
    last_sign_in_at timestamp(6) without time zone,
    preferences jsonb DEFAULT '{}'::jsonb NOT NULL,
    deleted_at timestamp(6) without time zone,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    locale character varying(10) DEFAULT 'en'::character varying NOT NULL,
    CONSTRAINT users_sign_in_count_check CHECK ((sign_in_count >= 0))
);


--
-- Name: TABLE users; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.users IS 'Customer and staff accounts';


--
-- Name: COLUMN users.deleted_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.users.deleted_at IS 'soft delete marker';


--
-- Name: order_summaries; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.order_summaries AS
 SELECT o.id,
    o.number,
    o.status,
    u.email,
    count(oi.id) AS item_count,
    public.sum_cents((oi.unit_price_cents * oi.quantity)) AS subtotal_cents
   FROM ((public.orders o
     JOIN public.users u ON ((u.id = o.user_id)))
     LEFT JOIN public.order_items oi ON ((oi.order_id = o.id)))
  GROUP BY o.id, o.number, o.status, u.email;


--
-- Name: VIEW order_summaries; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.order_summaries IS 'one row per order for the admin dashboard';


--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: page_views; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views (
    id bigint NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
)
PARTITION BY RANGE (viewed_at);


--
-- Name: page_views_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.page_views_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: page_views_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.page_views_id_seq OWNED BY public.page_views.id;


--
-- Name: page_views_2026_01; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2026_01 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: page_views_2026_02; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2026_02 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: page_views_2026_03; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2026_03 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: page_views_2026_04; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2026_04 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: page_views_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_default (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    user_id bigint,
    path text NOT NULL,
    referrer text,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: product_images; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_images (
    id integer NOT NULL,
    product_id bigint NOT NULL,
    url text NOT NULL,
    alt_text character varying(255),
    "position" smallint DEFAULT 0 NOT NULL
);


--
-- Name: product_images_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.product_images ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.product_images_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products (
    id bigint NOT NULL,
    category_id bigint,
    sku character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    description text,
    price_cents integer NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    stock integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    properties jsonb DEFAULT '{}'::jsonb NOT NULL,
    search_vector tsvector,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT products_price_cents_check CHECK ((price_cents >= 0)),
    CONSTRAINT products_stock_check CHECK ((stock >= 0))
);
ALTER TABLE ONLY public.products ALTER COLUMN sku SET STATISTICS 500;


--
-- Name: COLUMN products.price_cents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.products.price_cents IS 'price in minor units';


--
-- Name: reviews; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reviews (
    id bigint NOT NULL,
    product_id bigint NOT NULL,
    user_id bigint NOT NULL,
    rating smallint NOT NULL,
    body text,
    created_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT reviews_rating_check CHECK (((rating >= 1) AND (rating <= 5)))
);


--
-- Name: product_ratings; Type: MATERIALIZED VIEW; Schema: public; Owner: -
--

CREATE MATERIALIZED VIEW public.product_ratings AS
 SELECT p.id AS product_id,
    count(r.id) AS review_count,
    (avg(r.rating))::numeric(3,2) AS avg_rating
   FROM (public.products p
     LEFT JOIN public.reviews r ON ((r.product_id = p.id)))
  GROUP BY p.id
  WITH NO DATA;


--
-- Name: products_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.products_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: products_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.products_id_seq OWNED BY public.products.id;


--
-- Name: reviews_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.reviews ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.reviews_id_seq
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: search_queries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_queries (
    id bigint NOT NULL,
    query text NOT NULL,
    results integer DEFAULT 0 NOT NULL,
    searched_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY RANGE (searched_at);


--
-- Name: search_queries_2026; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_queries_2026 (
    id bigint NOT NULL,
    query text NOT NULL,
    results integer DEFAULT 0 NOT NULL,
    searched_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: search_queries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_queries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.search_queries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: page_views_2026_01; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2026_01 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');


--
-- Name: page_views_2026_02; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2026_02 FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');


--
-- Name: page_views_2026_03; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2026_03 FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');


--
-- Name: page_views_2026_04; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2026_04 FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00');


--
-- Name: page_views_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_default DEFAULT;


--
-- Name: search_queries_2026; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_queries ATTACH PARTITION public.search_queries_2026 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: addresses id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.addresses ALTER COLUMN id SET DEFAULT nextval('public.addresses_id_seq'::regclass);


--
-- Name: categories id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories ALTER COLUMN id SET DEFAULT nextval('public.categories_id_seq'::regclass);


--
-- Name: coupons id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coupons ALTER COLUMN id SET DEFAULT nextval('public.coupons_id_seq'::regclass);


--
-- Name: invoices id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices ALTER COLUMN id SET DEFAULT nextval('public.invoices_id_seq'::regclass);


--
-- Name: invoices invoice_number; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices ALTER COLUMN invoice_number SET DEFAULT nextval('public.invoice_number_seq'::regclass);


--
-- Name: order_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.order_items ALTER COLUMN id SET DEFAULT nextval('public.order_items_id_seq'::regclass);


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Name: page_views id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ALTER COLUMN id SET DEFAULT nextval('public.page_views_id_seq'::regclass);


--
-- Name: products id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products ALTER COLUMN id SET DEFAULT nextval('public.products_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: addresses addresses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.addresses
    ADD CONSTRAINT addresses_pkey PRIMARY KEY (id);


--
-- Name: ar_internal_metadata ar_internal_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_internal_metadata
    ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);


--
-- Name: categories categories_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_pkey PRIMARY KEY (id);


--
-- Name: coupons coupons_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coupons
    ADD CONSTRAINT coupons_pkey PRIMARY KEY (id);


--
-- Name: invoices invoices_invoice_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_invoice_number_key UNIQUE (invoice_number);


--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);


--
-- Name: order_items order_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: page_views page_views_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views
    ADD CONSTRAINT page_views_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2026_01 page_views_2026_01_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2026_01
    ADD CONSTRAINT page_views_2026_01_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2026_02 page_views_2026_02_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2026_02
    ADD CONSTRAINT page_views_2026_02_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2026_03 page_views_2026_03_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2026_03
    ADD CONSTRAINT page_views_2026_03_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2026_04 page_views_2026_04_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2026_04
    ADD CONSTRAINT page_views_2026_04_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_default page_views_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_default
    ADD CONSTRAINT page_views_default_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: product_images product_images_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_images
    ADD CONSTRAINT product_images_pkey PRIMARY KEY (id);


--
-- Name: products products_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (id);


--
-- Name: reviews reviews_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT reviews_pkey PRIMARY KEY (id);


--
-- Name: reviews reviews_product_user_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT reviews_product_user_key UNIQUE (product_id, user_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: search_queries search_queries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_queries
    ADD CONSTRAINT search_queries_pkey PRIMARY KEY (id, searched_at);


--
-- Name: search_queries_2026 search_queries_2026_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_queries_2026
    ADD CONSTRAINT search_queries_2026_pkey PRIMARY KEY (id, searched_at);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: index_addresses_on_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_addresses_on_user_id ON public.addresses USING btree (user_id);


--
-- Name: index_addresses_one_default; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_addresses_one_default ON public.addresses USING btree (user_id) WHERE is_default;


--
-- Name: index_categories_on_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_categories_on_parent_id ON public.categories USING btree (parent_id);


--
-- Name: index_categories_on_slug; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_categories_on_slug ON public.categories USING btree (slug);


--
-- Name: index_coupons_on_lower_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_coupons_on_lower_code ON public.coupons USING btree (lower((code)::text));


--
-- Name: index_order_items_on_order_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_order_items_on_order_id ON public.order_items USING btree (order_id);


--
-- Name: index_order_items_on_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_order_items_on_product_id ON public.order_items USING btree (product_id) INCLUDE (quantity);


--
-- Name: index_orders_on_coupon_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_orders_on_coupon_id ON public.orders USING btree (coupon_id);


--
-- Name: index_orders_on_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_orders_on_number ON public.orders USING btree (number);


--
-- Name: index_orders_on_placed_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_orders_on_placed_at ON public.orders USING btree (placed_at) WHERE (placed_at IS NOT NULL);


--
-- Name: index_orders_on_user_id_and_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_orders_on_user_id_and_created_at ON public.orders USING btree (user_id, created_at DESC);


--
-- Name: index_page_views_on_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_page_views_on_user_id ON ONLY public.page_views USING btree (user_id);


--
-- Name: index_product_images_on_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_product_images_on_product_id ON public.product_images USING btree (product_id, "position");


--
-- Name: index_product_ratings_on_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_product_ratings_on_product_id ON public.product_ratings USING btree (product_id);


--
-- Name: index_products_active_price; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_active_price ON public.products USING btree (price_cents DESC, id) WHERE active;


--
-- Name: index_products_fulltext; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_fulltext ON public.products USING gin (to_tsvector('english'::regconfig, (((COALESCE(name, ''::character varying))::text || ' '::text) || COALESCE(description, ''::text))));


--
-- Name: index_products_on_category_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_on_category_id ON public.products USING btree (category_id);


--
-- Name: index_products_on_name_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_on_name_trgm ON public.products USING gin (name public.gin_trgm_ops);


--
-- Name: index_products_on_properties; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_on_properties ON public.products USING gin (properties jsonb_path_ops);


--
-- Name: index_products_on_search_vector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_on_search_vector ON public.products USING gin (search_vector);


--
-- Name: index_products_on_sku; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_products_on_sku ON public.products USING btree (sku);


--
-- Name: index_reviews_on_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_reviews_on_user_id ON public.reviews USING btree (user_id);


--
-- Name: index_search_queries_on_query_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_search_queries_on_query_trgm ON ONLY public.search_queries USING gin (query public.gin_trgm_ops);


--
-- Name: index_users_active; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_users_active ON public.users USING btree (created_at) WHERE (deleted_at IS NULL);


--
-- Name: index_users_on_lower_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_users_on_lower_email ON public.users USING btree (lower((email)::text));


--
-- Name: index_users_on_preferences; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_users_on_preferences ON public.users USING gin (preferences);


--
-- Name: index_users_on_reset_password_token; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_users_on_reset_password_token ON public.users USING btree (reset_password_token);


--
-- Name: page_views_2026_01_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2026_01_user_id_idx ON public.page_views_2026_01 USING btree (user_id);


--
-- Name: page_views_2026_02_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2026_02_user_id_idx ON public.page_views_2026_02 USING btree (user_id);


--
-- Name: page_views_2026_03_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2026_03_user_id_idx ON public.page_views_2026_03 USING btree (user_id);


--
-- Name: page_views_2026_04_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2026_04_user_id_idx ON public.page_views_2026_04 USING btree (user_id);


--
-- Name: page_views_default_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_default_user_id_idx ON public.page_views_default USING btree (user_id);


--
-- Name: search_queries_2026_query_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_queries_2026_query_idx ON public.search_queries_2026 USING gin (query public.gin_trgm_ops);


--
-- Name: page_views_2026_01_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2026_01_pkey;


--
-- Name: page_views_2026_01_user_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_user_id ATTACH PARTITION public.page_views_2026_01_user_id_idx;


--
-- Name: page_views_2026_02_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2026_02_pkey;


--
-- Name: page_views_2026_02_user_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_user_id ATTACH PARTITION public.page_views_2026_02_user_id_idx;


--
-- Name: page_views_2026_03_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2026_03_pkey;


--
-- Name: page_views_2026_03_user_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_user_id ATTACH PARTITION public.page_views_2026_03_user_id_idx;


--
-- Name: page_views_2026_04_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2026_04_pkey;


--
-- Name: page_views_2026_04_user_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_user_id ATTACH PARTITION public.page_views_2026_04_user_id_idx;


--
-- Name: page_views_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_default_pkey;


--
-- Name: page_views_default_user_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_user_id ATTACH PARTITION public.page_views_default_user_id_idx;


--
-- Name: search_queries_2026_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.search_queries_pkey ATTACH PARTITION public.search_queries_2026_pkey;


--
-- Name: search_queries_2026_query_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_search_queries_on_query_trgm ATTACH PARTITION public.search_queries_2026_query_idx;


--
-- Name: orders orders_set_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.set_updated_at();


--
-- Name: products products_search_vector; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER products_search_vector BEFORE INSERT OR UPDATE OF name, description ON public.products FOR EACH ROW EXECUTE FUNCTION public.products_search_vector_update();


--
-- Name: products products_set_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER products_set_updated_at BEFORE UPDATE ON public.products FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.set_updated_at();


--
-- Name: addresses fk_rails_addresses_user; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.addresses
    ADD CONSTRAINT fk_rails_addresses_user FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: categories fk_rails_categories_parent; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT fk_rails_categories_parent FOREIGN KEY (parent_id) REFERENCES public.categories(id) ON DELETE SET NULL;


--
-- Name: invoices fk_rails_invoices_order; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invoices
    ADD CONSTRAINT fk_rails_invoices_order FOREIGN KEY (order_id) REFERENCES public.orders(id);


--
-- Name: order_items fk_rails_order_items_order; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT fk_rails_order_items_order FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;


--
-- Name: order_items fk_rails_order_items_product; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT fk_rails_order_items_product FOREIGN KEY (product_id) REFERENCES public.products(id) ON DELETE RESTRICT;


--
-- Name: orders fk_rails_orders_address; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_rails_orders_address FOREIGN KEY (shipping_address_id) REFERENCES public.addresses(id) ON DELETE SET NULL;


--
-- Name: orders fk_rails_orders_coupon; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_rails_orders_coupon FOREIGN KEY (coupon_id) REFERENCES public.coupons(id) ON DELETE SET NULL;


--
-- Name: orders fk_rails_orders_user; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_rails_orders_user FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: product_images fk_rails_product_images_product; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_images
    ADD CONSTRAINT fk_rails_product_images_product FOREIGN KEY (product_id) REFERENCES public.products(id) ON DELETE CASCADE;


--
-- Name: products fk_rails_products_category; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_rails_products_category FOREIGN KEY (category_id) REFERENCES public.categories(id);


--
-- Name: reviews fk_rails_reviews_product; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT fk_rails_reviews_product FOREIGN KEY (product_id) REFERENCES public.products(id) ON DELETE CASCADE;


--
-- Name: reviews fk_rails_reviews_user; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT fk_rails_reviews_user FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: orders; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;

--
-- Name: orders orders_owner; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY orders_owner ON public.orders FOR SELECT TO app_reader USING ((user_id = (NULLIF(current_setting('app.user_id'::text, true), ''::text))::bigint));


--
-- Name: orders orders_staff; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY orders_staff ON public.orders TO app_writer USING (true) WITH CHECK ((status <> 'refunded'::public.order_status));


--
-- Name: FUNCTION order_total_cents(p_order_id bigint); Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON FUNCTION public.order_total_cents(p_order_id bigint) TO app_reader;


--
-- Name: TABLE categories; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.categories TO app_reader;


--
-- Name: TABLE coupons; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.coupons TO app_reader;


--
-- Name: TABLE order_items; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.order_items TO app_writer;


--
-- Name: SEQUENCE order_items_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.order_items_id_seq TO app_writer;


--
-- Name: TABLE orders; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.orders TO app_writer;


--
-- Name: TABLE order_summaries; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.order_summaries TO app_reader;


--
-- Name: SEQUENCE orders_id_seq; Type: ACL; Schema: public; Owner: -
--

GRANT USAGE ON SEQUENCE public.orders_id_seq TO app_writer;


--
-- Name: TABLE products; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.products TO app_reader;


--
-- PostgreSQL database dump complete
--

\unrestrict u6FqtiiET0qkK5s1RnTU9vdT2qgY9uPVkbXfeDHyQ5ZhtiF5mJty4L6lodSDZuJ

