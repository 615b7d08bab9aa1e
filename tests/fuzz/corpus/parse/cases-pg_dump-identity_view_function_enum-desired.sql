--
-- PostgreSQL database dump
--

-- Dumped from database version 15.5
-- Dumped by pg_dump version 15.5

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: kind; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.kind AS ENUM (
    'a',
    'b',
    'c'
);


ALTER TYPE public.kind OWNER TO postgres;

--
-- Name: label(public.kind); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.label(k public.kind) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT upper(k::text) $$;


ALTER FUNCTION public.label(k public.kind) OWNER TO postgres;

--
-- Name: things; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.things (
    id bigint NOT NULL,
    k public.kind DEFAULT 'a'::public.kind NOT NULL
);


ALTER TABLE public.things OWNER TO postgres;

--
-- Name: things_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.things ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.things_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: thing_labels; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.thing_labels AS
 SELECT things.id,
    public.label(things.k) AS label
   FROM public.things;


ALTER TABLE public.thing_labels OWNER TO postgres;

--
-- Name: things things_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.things
    ADD CONSTRAINT things_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

