CREATE TABLE countries (id integer PRIMARY KEY, iso text NOT NULL UNIQUE);
CREATE TABLE cities (id integer, country_iso text);
