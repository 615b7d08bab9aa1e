/*
 * The PostgreSQL dialect: parsing with libpg_query, introspection and
 * script execution with libpq, the differ's statement rendering, and
 * identifier quoting by the server's own rules.
 */
#ifndef SCHEMIG_PG_H
#define SCHEMIG_PG_H

#include <stdbool.h>

#include "../../lint/lint.h"
#include "../dialect.h"
#include "../../plan/plan.h"
#include "../../schema/diff.h"
#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"

/* The same column names in any order: PostgreSQL matches a foreign
 * key's referenced columns to a unique key as a set (diff_fkeys.c). */
bool pg_same_column_set(char *const *a, int na, char *const *b, int nb);
/* Does a partition of `parent` (in `m`) have anything from it beyond its
 * columns: keys, foreign keys, CHECKs, indexes? Then a detach drops
 * those (the model does not list them). diff_partition.c. */
bool pg_parent_gives_partitions(const model *m, const m_table *parent);

/* CREATE TABLE for `t` as the differ writes it (its columns, its keys
 * and CHECKs, its partition bound and key), without the trailing ';'.
 * The caller frees it. diff_tables.c. */
char *pg_table_create_sql(const m_table *t);

/* A table copy's key (copy.c), of `n` columns `keys` (quoted) of
 * `types`: as a row "(k1, k2)", an order "k1, k2" or "k1 DESC, k2 DESC",
 * a JSON array "jsonb_build_array(k1, k2)" (the checkpoint), or the row
 * of the values the JSON array `var` holds, each cast to its type. */
enum pg_copy_key {
	PG_KEY_ROW,
	PG_KEY_ORDER,
	PG_KEY_DESC,
	PG_KEY_JSON,
	PG_KEY_VALUE,
};
void pg_copy_key_sql(strbuf *out, enum pg_copy_key what,
		     const char *const *keys, const char *const *types, int n,
		     const char *var);

/* Parse DDL into `m` (appending), see dialect.h. */
int pg_parse(model *m, const char *sql, const char *filename, error *e);

/* Read the schema behind `url` (postgres:// URL or libpq conninfo). */
int pg_introspect(model *m, const char *url, error *e);

/* Run a multi-statement script; a failure names filename:line:column. */
int pg_exec_script(const char *url, const char *sql, const char *filename,
		   error *e);
/* The same for a user's DDL file: a statement the server rejects is an
 * input error (EXIT_USAGE); connection failures stay EXIT_DB. */
int pg_load_script(const char *url, const char *sql, const char *filename,
		   error *e);

/*
 * The order to load a schema file's `n` statements in, by their
 * dependencies (load_order.c): statement i of `sql` starts at byte
 * locs[i], as pg_query_split_with_parser split it. A malloc'd
 * permutation of 0..n-1 (the caller frees it), or NULL to load them in
 * file order: already in order, or the text does not parse.
 */
int *pg_load_order(const char *sql, int n, const int *locs);
/* The same for the statements of a parse tree (on pg_parse_tree's
 * thread): the schema parser reads a file in this order too. *cycle
 * (when not NULL) tells whether some statements need each other, so
 * that no order loads them and the server's error will stand. */
struct PgQuery__ParseResult;
int *pg_load_order_tree(const struct PgQuery__ParseResult *tree, bool *cycle);
/* The same for the statements of a pg_parse_list. */
struct pg_stmt_list;
int *pg_load_order_list(const struct pg_stmt_list *l, bool *cycle);

/* A copy of `sql` (the caller frees) with psql meta-command lines such
 * as pg_dump's "\restrict KEY" blanked out, outside strings, quoted names,
 * dollar-quoted bodies and comments; offsets and line numbers hold. */
char *pg_blank_meta_commands(const char *sql);

/* dialect->prepare_scratch (scratch_prep.c): see dialect.h. */
int pg_prepare_scratch(const scratch_target *t, const char *sql,
		       const char *filename, char **load_sql, error *e);

/* dialect->search_path (search_path.c): see dialect.h. */
int pg_search_path(const char *url, char ***out, error *e);
/* Give the scratch database t->url the search path t->search_path, its
 * schemas created first (nothing when it has none). */
int pg_scratch_search_path(const scratch_target *t, error *e);
/* Is `schema` one that pg_scratch_search_path creates? */
bool pg_search_path_creates(const scratch_target *t, const char *schema);
/* Where an unqualified CREATE goes in the scratch database. */
const char *pg_search_path_first(const scratch_target *t);

/*
 * The unique index of `from` that a new PRIMARY KEY or UNIQUE key k of
 * table t (in `to`) takes over with ADD CONSTRAINT ... USING INDEX: an
 * index the target no longer lists, which the key would have made
 * identical (btree, the same columns, nothing more); NULL when none
 * (diff_indexes.c; the differ and the planner agree through it).
 */
const m_index *pg_key_reuses_index(const model *from, const model *to,
				   const m_table *t, const m_constraint *k);

/* A dollar-quote tag, "$schemig$", else "$schemig_1$", "$schemig_2$", ...,
 * that `body` does not contain (the caller frees it). */
char *pg_dollar_tag(const char *body);

/* The statements that turn `from` into `to`, in an order PostgreSQL
 * accepts. */
int pg_diff(const model *from, const model *to, diff_result *out, error *e);
/* A query the server printed (pg_get_viewdef), parsed and deparsed as
 * the parser spells a file's query; malloc'd, NULL when it does not
 * parse. */
char *pg_respell_query(const char *query);

/* The safe migration plan (dialect->plan); see plan/plan.h. */
int pg_plan(model *from, const model *to, const char *from_url, plan *p,
	    error *e);

/* Answer the plan's data checks on the live database behind `url`,
 * read-only (dialect->plan_check_data): fills each check's ran, failing
 * and message, and marks the guarded steps HZ_WILL_FAIL. A check whose
 * query fails is "not checked"; only a failed connection fails the run. */
int pg_plan_check_data(const char *url, plan *p, error *e);

/* Lint hand-written migration SQL (dialect->lint); pg_lint_rules is its
 * rule catalogue, ending with a NULL name. */
int pg_lint(const char *sql, const char *filename, lint_result *out, error *e);
extern const lint_rule pg_lint_rules[];
/* dialect->draft_statements (draft_check.c). */
int pg_draft_statements(const char *sql, const char *filename, json_t **out,
			error *e);
/*
 * The script of a batched backfill of `qtable` (quoted, qualified), for
 * psql and the emitters: one DO block that commits each batch of
 * `batch` rows and pauses `pause_ms` between them; keyset batches by
 * `qkey` (quoted; the one-column primary key), else by physical row ids
 * of the rows `pending` still holds for. Appended to `out`.
 */
void pg_backfill_script(strbuf *out, const char *qtable, const char *qkey,
			const char *set, const char *pending, int batch,
			int pause_ms);
/* dialect->draft_backfill (draft_backfill.c). */
int pg_draft_backfill(const model *from, plan *dp, plan_step *s, error *e);
/* dialect->draft_samples (draft_samples.c). */
int pg_draft_samples(const char *url, const json_t *samples, int phase,
		     strbuf *why, error *e);
int pg_draft_table_stats(const char *url, const json_t *tables, json_t **out,
			 error *e);

/* Quote an identifier only when PostgreSQL needs it (upper case, spaces,
 * quotes, unicode, keywords), doubling embedded quotes. */
void pg_quote_ident(strbuf *sb, const char *ident);
/* schema.name, each part quoted as needed; schema may be NULL. */
void pg_quote_qualified(strbuf *sb, const char *schema, const char *name);
/* A string literal: 'it''s', or E'...' when it holds a backslash. */
void pg_quote_literal(strbuf *sb, const char *s);
/* '...' as the server's deparsers print a constant (pg_get_expr, with
 * standard_conforming_strings on): quotes doubled, backslashes as they
 * are, never E''. The model's expressions are spelled so. */
void pg_quote_literal_std(strbuf *sb, const char *s);
/* True when `ident` can be written without quotes. */
bool pg_ident_is_plain(const char *ident);

/*
 * A connection string (postgres:// URL or key=value conninfo) as it may be
 * shown: parsed by libpq and written back from its options, in libpq's
 * order, with every secret option ("password", "sslpassword", any libpq
 * marks secret) as "***". A string libpq cannot parse, or a URL whose
 * parse is ambiguous (a raw '/' or '@' in the password), becomes
 * PG_UNPARSABLE_CONNINFO. Idempotent; NULL for NULL; the caller frees it.
 */
#define PG_UNPARSABLE_CONNINFO "<unparsable connection string>"
char *pg_url_redact(const char *url);

/* `msg` (trimmed) with every secret value of `conninfo` replaced by "***"
 * (one shorter than 4 characters only where it stands alone); NULL when
 * `conninfo` does not parse, since the secrets are then unknown. */
char *pg_scrub_secrets(const char *msg, const char *conninfo);

/* A libpq message about connecting with `conninfo`, safe to show:
 * pg_scrub_secrets, or a fixed text when `conninfo` does not parse (libpq
 * then quotes pieces of the string). The caller frees it. */
char *pg_conn_message(const char *msg, const char *conninfo);

/* --- Replicas (replica.c, replica_sql.c) --- */
struct replica_job;
struct replica_table;
struct replica_column;
/* dialect->replica_fill and dialect->replica_read. */
int pg_replica_fill(struct replica_job *job, error *e);
int pg_replica_read(const char *url, json_t **out, error *e);
int pg_replica_drop(const char *url, error *e);
/* The masked value of column `c` of a row `alias` of table `t`. */
int pg_replica_mask_sql(strbuf *out, const struct replica_table *t,
			const struct replica_column *c, const char *alias,
			error *e);
/* The COPY that reads table `ti`'s rows, masked, sampled with `seed`. */
int pg_replica_copy_out_sql(strbuf *out, struct replica_job *job, int ti,
			    unsigned seed, error *e);
/* The COPY that writes them into the copy. */
void pg_replica_copy_in_sql(strbuf *out, const struct replica_table *t);

#endif
