CREATE TABLE public.docs (
    id integer PRIMARY KEY,
    author_id integer,
    updated timestamptz
);

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER touch BEFORE UPDATE ON public.docs
    FOR EACH ROW EXECUTE FUNCTION public.touch();

CREATE TABLE public.authors (
    id integer PRIMARY KEY,
    first_doc integer REFERENCES public.docs (id)
);

ALTER TABLE public.docs ADD CONSTRAINT docs_author_fk
    FOREIGN KEY (author_id) REFERENCES public.authors (id);

CREATE TABLE public.log (
    at date NOT NULL,
    msg text
) PARTITION BY RANGE (at);

CREATE TABLE public.log_2024 PARTITION OF public.log
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE public.base_docs (
    title text
);

CREATE TABLE public.special_docs (
    reviewer text
) INHERITS (public.base_docs);
