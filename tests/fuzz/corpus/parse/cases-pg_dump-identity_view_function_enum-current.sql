CREATE TYPE public.kind AS ENUM ('a', 'b');
