/*
 * MySQL and MariaDB's entry in the dialect table: DDL files, live
 * databases, the differ, plans with their data checks, lint. Scratch
 * databases, throwaway servers and execution are not here
 * yet, and the core says what the dialect lacks rather than guessing.
 */
#include "../dialect.h"
#include "../../plan/plan.h"
#include "conn.h"
#include "mysql.h"

const dialect dialect_mysql = {
    .name = "mysql",
    .parse = my_parse,
    .introspect = my_introspect,
    .diff = my_diff_models,
    .quote_ident = my_quote_ident,
    .quote_literal = my_quote_literal,
    .redact_url = my_url_redact,
    .title = "MySQL",
    .url_forms = "mysql:// (or mariadb://)",
    .claims_url = my_url_is_mysql,
    .change_kind_name = my_change_kind_name,
    .plan = my_plan,
    .plan_check_data = my_plan_check_data,
    .step_envelope = my_step_envelope,
    .script_runner = "mariadb DATABASE < FILE, or mysql DATABASE < FILE",
    .lint = my_lint,
    .lint_rules = my_lint_rules,
};
