CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN pos AS integer CHECK (VALUE > 0);
