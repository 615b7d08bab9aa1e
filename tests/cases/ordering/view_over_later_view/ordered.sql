CREATE TABLE public.events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    at timestamptz NOT NULL
);

CREATE VIEW public.recent_events AS
    SELECT id, kind, at FROM public.events
    WHERE at > '2020-01-01'::timestamptz;

CREATE VIEW public.top_events AS
    SELECT id, kind FROM public.recent_events WHERE kind = 'top';
