#include "../dialect.h"
#include "change.h"
#include "pg.h"
#include "scratch.h"
#include "server.h"
#include "server_url.h"

#include "session.h"

const dialect dialect_postgres = {
    .name = "postgres",
    .parse = pg_parse,
    .introspect = pg_introspect,
    .exec_script = pg_exec_script,
    .load_script = pg_load_script,
    .prepare_scratch = pg_prepare_scratch,
    .search_path = pg_search_path,
    .diff = pg_diff,
    .quote_ident = pg_quote_ident,
    .quote_literal = pg_quote_literal,
    .redact_url = pg_url_redact,
    .plan = pg_plan,
    .plan_check_data = pg_plan_check_data,
    .lint = pg_lint,
    .lint_rules = pg_lint_rules,

    /* --- Servers and databases --- */
    .title = "PostgreSQL",
    .url_forms = "postgres://",
    .claims_url = server_claims_url,
    .url_with_database = server_url_with_database,
    .scrub_secrets = scratch_scrub_password,
    .scratch_create = scratch_create,
    .scratch_url = scratch_url,
    .scratch_load_url = scratch_load_url,
    .scratch_loader = scratch_loader,
    .scratch_drop = scratch_drop,
    .server_needs = "PostgreSQL server binaries (initdb)",
    .server_available = devserver_available,
    .server_start = devserver_start,
    .server_url = devserver_url,
    .server_describe = devserver_describe,
    .server_dir = devserver_dir,
    .server_stop = devserver_stop,
    .server_abort = devserver_abort,

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
    .replica_fill = pg_replica_fill,
    .replica_read = pg_replica_read,
    .replica_drop = pg_replica_drop,
    .session_same_address = pg_session_same_address,

    /* --- Apply --- */
    .error_class = pg_error_class,
    .session_query = pg_session_query,
    .session_blockers = pg_session_blockers,
    .session_replica_lag_ms = pg_session_replica_lag_ms,
    .apply_lock = pg_apply_lock,
    .journal_sql = pg_journal_sql,
    .journal_read = pg_journal_read,
    .journal_approvals = pg_journal_approvals,
    .journal_dry_run = pg_journal_dry_run,
    .backfill_batch_sql = pg_backfill_batch_sql,

    /* --- One-shot credentials --- */
    .session_connect_as = pg_session_connect_as,
    .credential_owners = pg_credential_owners,
    .credential_create = pg_credential_create,
    .credential_journal_grant = pg_credential_journal_grant,
    .credential_handover_sql = pg_credential_handover_sql,
    .credential_list = pg_credential_list,
    .credential_drop = pg_credential_drop,

    .change_kind_name = pg_change_kind_name,

    /* --- Drafts --- */
    .draft_statements = pg_draft_statements,
    .draft_samples = pg_draft_samples,
    .draft_backfill = pg_draft_backfill,
    .draft_table_stats = pg_draft_table_stats,
};
