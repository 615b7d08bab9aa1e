--
-- PostgreSQL database dump
--

\restrict 3xAmPleKeyOnlyForThisTestCaseDoNotReuse0123456789abcdefABCDEF

-- Dumped from database version 15.20
-- Dumped by pg_dump version 15.20

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
    id integer,
    note text
);


--
-- PostgreSQL database dump complete
--

\unrestrict 3xAmPleKeyOnlyForThisTestCaseDoNotReuse0123456789abcdefABCDEF

