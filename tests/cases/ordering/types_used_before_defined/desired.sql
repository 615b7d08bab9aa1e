-- A table using an enum, a domain and a composite type defined after it;
-- the domain is over another domain defined last.
CREATE TABLE public.tasks (
    id integer PRIMARY KEY,
    status public.status NOT NULL,
    effort public.hours,
    span public.period
);

CREATE TYPE public.status AS ENUM ('new', 'done');

CREATE DOMAIN public.hours AS public.positive_int CHECK (VALUE < 1000);

CREATE TYPE public.period AS (starts date, ends date);

CREATE DOMAIN public.positive_int AS integer CHECK (VALUE > 0);
