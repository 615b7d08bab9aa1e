CREATE TABLE codes (a text, b text);
