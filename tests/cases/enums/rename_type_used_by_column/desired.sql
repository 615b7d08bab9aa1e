CREATE TYPE hue AS ENUM ('red', 'green', 'blue');
CREATE TABLE paints (
    id integer PRIMARY KEY,
    shade hue DEFAULT 'green',
    mixes hue[]
);
