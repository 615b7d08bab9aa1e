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
#include "session.h"
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
    .lock_modes = my_lock_modes,
    .session_connect = my_session_connect,
    .session_close = my_session_close,
    .session_run = my_session_run,
    .session_cancel_new = my_session_cancel_new,
    .session_cancel = my_session_cancel,
    .session_cancel_free = my_session_cancel_free,
    .session_setting = my_session_setting,
    .session_locks = my_session_locks,
    .session_table_bytes = my_session_table_bytes,
    .session_count_rows = my_session_count_rows,
    .session_identity = my_session_identity,
    .session_same_address = my_session_same_address,
    .error_class = my_error_class,
    .session_query = my_session_query,
    .session_blockers = my_session_blockers,
    .session_replica_lag_ms = my_session_replica_lag_ms,
    .apply_lock = my_apply_lock,
    .journal_sql = my_journal_sql,
    .journal_approvals = my_journal_approvals,
    .journal_dry_run = my_journal_dry_run,
    .journal_read = my_journal_read,
    .backfill_batch_sql = my_backfill_batch_sql,
    .session_connect_as = my_session_connect_as,
    .credential_owners = my_credential_owners,
    .credential_create = my_credential_create,
    .credential_journal_grant = my_credential_journal_grant,
    .credential_handover_sql = my_credential_handover_sql,
    .credential_list = my_credential_list,
    .credential_drop = my_credential_drop,
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
