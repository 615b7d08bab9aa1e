CREATE TYPE public.status AS ENUM ('new', 'done');

CREATE DOMAIN public.positive_int AS integer CHECK (VALUE > 0);

CREATE DOMAIN public.hours AS public.positive_int CHECK (VALUE < 1000);

CREATE TYPE public.period AS (starts date, ends date);

CREATE TABLE public.tasks (
    id integer PRIMARY KEY,
    status public.status NOT NULL,
    effort public.hours,
    span public.period
);
