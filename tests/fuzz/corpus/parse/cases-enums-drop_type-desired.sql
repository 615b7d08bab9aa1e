CREATE TYPE shape AS ENUM ('circle');
