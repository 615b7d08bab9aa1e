CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO app_reader;
GRANT USAGE, CREATE ON SCHEMA reporting TO app_writer;
