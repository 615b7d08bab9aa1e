-- An index, comments, a grant and an ALTER on a table defined last.
CREATE UNIQUE INDEX people_email_key ON public.people (lower(email));

COMMENT ON TABLE public.people IS 'everyone we know';
COMMENT ON COLUMN public.people.email IS 'lower-cased when compared';
COMMENT ON INDEX public.people_email_key IS 'one account per address';

GRANT SELECT ON public.people TO app_reader;

ALTER TABLE public.people ADD CONSTRAINT email_has_at CHECK (email LIKE '%@%');

CREATE TABLE public.people (
    id integer PRIMARY KEY,
    email text NOT NULL
);
