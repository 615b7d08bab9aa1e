-- A foreign key to a later table whose key a later ALTER adds, and a view
-- reading a column a later ALTER adds: what a statement names before its
-- definition is the table as the file leaves it.
CREATE TABLE public.stores (
    id integer PRIMARY KEY,
    region text REFERENCES public.regions (code)
);

CREATE VIEW public.region_names AS SELECT code, label FROM public.regions;

CREATE TABLE public.regions (
    code text NOT NULL
);

ALTER TABLE public.regions ADD CONSTRAINT regions_pkey PRIMARY KEY (code);

ALTER TABLE public.regions ADD COLUMN label text;
