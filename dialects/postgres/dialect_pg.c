#include "../dialect.h"
#include "pg.h"
#include "session.h"

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
    /* --- Sessions and the step envelope --- */
    .step_envelope = pg_step_envelope,
    .lock_modes = pg_lock_modes,
    .session_connect = pg_session_connect,
    .session_close = pg_session_close,
    .session_run = pg_session_run,
    .session_lock_probe = pg_session_lock_probe,
    .session_cancel_new = pg_session_cancel_new,
    .session_cancel = pg_session_cancel,
    .session_cancel_free = pg_session_cancel_free,
    .session_setting = pg_session_setting,
    .session_locks = pg_session_locks,
    .session_table_bytes = pg_session_table_bytes,
    .session_count_rows = pg_session_count_rows,
    .session_log_position = pg_session_log_position,
    .session_log_bytes = pg_session_log_bytes,
    .session_identity = pg_session_identity,
    .session_same_address = pg_session_same_address,
};
