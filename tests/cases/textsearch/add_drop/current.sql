CREATE TABLE public.docs (id integer, body text);
CREATE TEXT SEARCH DICTIONARY public.old_dict (TEMPLATE = pg_catalog.simple);
CREATE TEXT SEARCH CONFIGURATION public.old_cfg (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION public.old_cfg ADD MAPPING FOR asciiword WITH public.old_dict, simple;
