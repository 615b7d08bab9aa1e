CREATE TYPE status AS ENUM ('draft', 'published');
CREATE TABLE posts (id integer, st status);
