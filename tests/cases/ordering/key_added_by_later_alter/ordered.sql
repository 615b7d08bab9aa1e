CREATE TABLE public.regions (
    code text NOT NULL
);

ALTER TABLE public.regions ADD CONSTRAINT regions_pkey PRIMARY KEY (code);

ALTER TABLE public.regions ADD COLUMN label text;

CREATE TABLE public.stores (
    id integer PRIMARY KEY,
    region text REFERENCES public.regions (code)
);

CREATE VIEW public.region_names AS SELECT code, label FROM public.regions;
