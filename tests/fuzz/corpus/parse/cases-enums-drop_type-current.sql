CREATE TYPE color AS ENUM ('red', 'green');
CREATE TYPE shape AS ENUM ('circle');
