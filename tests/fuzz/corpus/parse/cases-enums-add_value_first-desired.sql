CREATE TYPE level AS ENUM ('debug', 'info', 'warn', 'error');
