CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('new', 'open', 'closed');
CREATE TYPE app.ticket_state AS ENUM ('new', 'open', 'closed', 'archived');
CREATE TABLE app.tickets (
    id integer PRIMARY KEY,
    state app.ticket_state NOT NULL DEFAULT 'open'
);
