/*
 * A drafted data migration made a batched backfill (dialect->
 * draft_backfill). A model writes its data migration as one UPDATE
 * ("SET first_name = split_part(name, ' ', 1) WHERE name IS NOT NULL");
 * run as written, that is one transaction over the whole table, holding
 * every row's lock until it commits. When the statement is a plain
 * UPDATE of one table with a one-column primary key, it becomes the
 * engine's own backfill: the same SET list and WHERE condition, run in
 * keyset batches that commit one by one, with the batches as data so
 * that apply checkpoints each one.
 *
 * The SET list and the condition are cut from the model's text by the
 * scanner's tokens at parenthesis depth 0, after the parser accepted the
 * statement as exactly that shape; they go into the script verbatim, as
 * the proof then runs it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"
#include "plan_internal.h"

/* What the parse says of the statement: the table, when it is a plain
 * UPDATE of one table (no FROM, RETURNING, WITH or alias). */
typedef struct update_shape {
	char *schema, *name;
} update_shape;

static int shape_of(const PgQuery__ParseResult *tree, arena *a, void *arg,
		    error *e)
{
	(void)a;
	(void)e;
	update_shape *u = arg;
	if (tree->n_stmts != 1 || !tree->stmts[0]->stmt ||
	    tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_UPDATE_STMT)
		return 0;
	const PgQuery__UpdateStmt *up = tree->stmts[0]->stmt->update_stmt;
	if (!up->relation || up->relation->alias || up->n_from_clause ||
	    up->n_returning_list || up->with_clause || !up->n_target_list)
		return 0;
	u->schema = xstrdup(pp_rv_schema(up->relation));
	u->name = xstrdup(up->relation->relname);
	return 0;
}

/*
 * The text of the SET list and of the WHERE condition ("true" when
 * there is none): 0, or -1 when the tokens do not show them. Each runs
 * from its first token's start to its last token's end: a comment
 * before the next keyword (or the end) is left out, since the fragments
 * go into other statements, where a trailing "-- ..." would swallow
 * what follows them (the batch's key range, its checkpoint).
 */
static int cut(const char *sql, char **set, char **where)
{
	PgQueryScanResult r = pg_query_scan(sql);
	PgQuery__ScanResult *s =
	    r.error ? NULL
		    : pg_query__scan_result__unpack(
			  NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
	pg_query_free_scan_result(r);
	if (!s)
		return -1;
	/* The scanner lists comments as tokens: leave them out first. */
	const PgQuery__ScanToken **tok = xcalloc(s->n_tokens + 1, sizeof(*tok));
	size_t n = 0;
	for (size_t i = 0; i < s->n_tokens; i++)
		if (s->tokens[i]->token != PG_QUERY__TOKEN__SQL_COMMENT &&
		    s->tokens[i]->token != PG_QUERY__TOKEN__C_COMMENT)
			tok[n++] = s->tokens[i];
	/* Token indexes: first of the SET list, WHERE, the end. */
	long set_at = -1, where_at = -1, end_at = (long)n;
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ScanToken *t = tok[i];
		if (t->token == '(' || t->token == '[')
			depth++;
		else if (t->token == ')' || t->token == ']')
			depth--;
		else if (depth == 0 && t->token == PG_QUERY__TOKEN__SET &&
			 set_at < 0)
			set_at = (long)i + 1;
		else if (depth == 0 && t->token == PG_QUERY__TOKEN__WHERE &&
			 where_at < 0)
			where_at = (long)i;
		else if (depth == 0 && t->token == ';') {
			end_at = (long)i;
			break;
		}
	}
	long set_end = where_at < 0 ? end_at : where_at;
	int ret = -1;
	if (set_at >= 0 && set_at < set_end &&
	    (where_at < 0 || where_at + 1 < end_at)) {
		*set = xstrndup(
		    sql + tok[set_at]->start,
		    (size_t)(tok[set_end - 1]->end - tok[set_at]->start));
		*where = where_at < 0
			     ? xstrdup("true")
			     : xstrndup(sql + tok[where_at + 1]->start,
					(size_t)(tok[end_at - 1]->end -
						 tok[where_at + 1]->start));
		ret = 0;
	}
	free(tok);
	pg_query__scan_result__free_unpacked(s, NULL);
	return ret;
}

/* As pgp_batch_size does for the engine's own backfills. */
static int batch_size(const plan *dp, const plan_step *s)
{
	if (dp->settings.batch_size > 0)
		return dp->settings.batch_size;
	if (s->est_rows < 0)
		return 5000;
	long long b = s->est_rows / 100;
	return b < 1000 ? 1000 : b > 5000 ? 5000 : (int)b;
}

int pg_draft_backfill(const model *from, plan *dp, plan_step *s, error *e)
{
	update_shape u = {0};
	char *set = NULL, *where = NULL;
	int ret = 0;
	error pe = ERROR_INIT;
	/* Parsed already by draft/'s checks: a failure here only means
	 * "not a backfill". */
	if (pg_parse_tree(s->forward, "draft", shape_of, &u, &pe) < 0)
		error_clear(&pe);
	const m_table *t =
	    u.name ? model_find_table(from, u.schema, u.name) : NULL;
	const char *key = t ? pgp_single_key(t) : NULL;
	const m_column *kc = key ? model_table_find_column(t, key) : NULL;
	if (!kc || cut(s->forward, &set, &where) < 0)
		goto out;

	strbuf q = STRBUF_INIT, k = STRBUF_INIT, sql = STRBUF_INIT;
	pg_quote_qualified(&q, u.schema, u.name);
	pg_quote_ident(&k, key);
	/* The model's own choice (draft/ checked its range), else the
	 * engine's. */
	int batch = s->batch_size > 0 ? s->batch_size : batch_size(dp, s);
	int pause = dp->settings.batch_pause_ms;
	pg_backfill_script(&sql, strbuf_str(&q), strbuf_str(&k), set, where,
			   batch, pause);
	plan_backfill *b = arena_alloc(&dp->arena, sizeof(*b));
	b->table = plan_str(dp, strbuf_str(&q));
	b->key = plan_str(dp, strbuf_str(&k));
	b->key_type = plan_str(dp, kc->type);
	b->set = plan_str(dp, set);
	b->pending = plan_str(dp, where);
	s->backfill = b;
	s->forward = plan_str(dp, strbuf_str(&sql));
	s->kind = plan_str(dp, "backfill");
	s->transactional = false;
	s->batch_size = batch;
	s->batch_pause_ms = pause;
	s->lock = plan_str(dp, "ROW EXCLUSIVE");
	s->est_lock_ms = 0;
	s->hazards |= HZ_BACKFILL | HZ_NOT_TRANSACTIONAL;
	strbuf_release(&q);
	strbuf_release(&k);
	strbuf_release(&sql);
	ret = 1;
out:
	(void)e;
	free(u.schema);
	free(u.name);
	free(set);
	free(where);
	return ret;
}
