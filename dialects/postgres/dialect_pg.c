#include "../dialect.h"
#include "pg.h"

const dialect dialect_postgres = {
    .name = "postgres",
    .parse = pg_parse,
    .introspect = pg_introspect,
    .exec_script = pg_exec_script,
    .load_script = pg_load_script,
    .prepare_scratch = pg_create_script_roles,
    .diff = pg_diff,
    .quote_ident = pg_quote_ident,
};
