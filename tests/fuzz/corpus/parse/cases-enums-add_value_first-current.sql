CREATE TYPE level AS ENUM ('warn', 'error');
