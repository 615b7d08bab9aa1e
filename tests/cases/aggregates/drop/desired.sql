-- Both aggregates go, and the support function with them (after them).
CREATE TABLE public.keep (id integer);
