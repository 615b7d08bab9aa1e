#include "../dialect.h"
#include "change.h"
#include "pg.h"

const dialect dialect_postgres = {
    .name = "postgres",
    .parse = pg_parse,
    .introspect = pg_introspect,
    .exec_script = pg_exec_script,
    .load_script = pg_load_script,
    .prepare_scratch = pg_prepare_scratch,
    .diff = pg_diff,
    .quote_ident = pg_quote_ident,
    .redact_url = pg_url_redact,
    .plan = pg_plan,
    .plan_check_data = pg_plan_check_data,
    .lint = pg_lint,
    .lint_rules = pg_lint_rules,
    .change_kind_name = pg_change_kind_name,
};
