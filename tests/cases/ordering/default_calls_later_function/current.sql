CREATE TABLE public.tickets (
    id integer PRIMARY KEY
);
