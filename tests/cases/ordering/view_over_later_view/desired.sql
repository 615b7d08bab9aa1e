-- A view over a view over a table, all three upside down.
CREATE VIEW public.top_events AS
    SELECT id, kind FROM public.recent_events WHERE kind = 'top';

CREATE VIEW public.recent_events AS
    SELECT id, kind, at FROM public.events
    WHERE at > '2020-01-01'::timestamptz;

CREATE TABLE public.events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    at timestamptz NOT NULL
);
