-- The enum a column uses gets another name (no declared rename): the new
-- type is made, the column converted through text, the old type dropped.
CREATE TYPE colour AS ENUM ('red', 'green', 'blue');
CREATE TABLE paints (
    id integer PRIMARY KEY,
    shade colour DEFAULT 'green',
    mixes colour[]
);
