CREATE TYPE status AS ENUM ('draft', 'published', 'archived');
CREATE TABLE posts (id integer, st status);
