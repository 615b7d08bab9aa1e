-- The default of the old enum type cannot be cast with the column: it is
-- dropped before the type change and set again after it.
CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('new', 'open', 'closed');
CREATE TYPE app.ticket_state AS ENUM ('new', 'open', 'closed', 'archived');
CREATE TABLE app.tickets (
    id integer PRIMARY KEY,
    state app.status NOT NULL DEFAULT 'new'
);
