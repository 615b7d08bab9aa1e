/*
 * MySQL and MariaDB's entry in the dialect table: DDL files, live
 * databases, the differ, plans with their data checks, scratch
 * databases and a throwaway MariaDB (server.h). Linting and execution
 * are not here yet, and the core says what the dialect lacks rather
 * than guessing.
 */
#include "../dialect.h"
#include "../../plan/plan.h"
#include "conn.h"
#include "mysql.h"
#include "server.h"

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
    /* Servers and databases (server.h). */
    .exec_script = my_exec_script,
    .load_script = my_load_script,
    .url_with_database = mysc_url_with_database,
    .scrub_secrets = mysc_scrub_secrets,
    .scratch_create = mysc_create,
    .scratch_url = mysc_url,
    .scratch_load_url = mysc_load_url,
    .scratch_loader = mysc_loader,
    .scratch_drop = mysc_drop,
    .server_needs = MYSRV_NEEDS,
    .server_available = mysrv_available,
    .server_start = mysrv_start,
    .server_url = mysrv_url,
    .server_describe = mysrv_describe,
    .server_dir = mysrv_dir,
    .server_stop = mysrv_stop,
    .server_abort = mysrv_abort,
};
