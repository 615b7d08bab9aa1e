/*
 * MySQL and MariaDB's entry in the dialect table. What is here today:
 * introspection, the differ and URLs; the rest of the table (parsing
 * DDL files, plans, execution) follows, and until then the core says
 * what the dialect lacks rather than guessing.
 */
#include "../dialect.h"
#include "../../plan/plan.h"
#include "conn.h"
#include "mysql.h"

static int my_parse_missing(model *m, const char *sql, const char *filename,
			    error *e)
{
	(void)m;
	(void)sql;
	return error_set(e, EXIT_USAGE,
			 "%s: reading MySQL DDL files is not supported yet; "
			 "compare two databases (mysql:// URLs) instead",
			 filename ? filename : "<input>");
}

const dialect dialect_mysql = {
    .name = "mysql",
    .parse = my_parse_missing,
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
};
