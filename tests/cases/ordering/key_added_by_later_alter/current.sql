-- The key is here already: going back drops only the new table, view and
-- column.
CREATE TABLE public.regions (
    code text NOT NULL,
    CONSTRAINT regions_pkey PRIMARY KEY (code)
);
