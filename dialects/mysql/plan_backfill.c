/*
 * Backfills (plan_step.backfill) on MySQL and MariaDB: a column made
 * NOT NULL whose target has a default gets its NULLs filled first, by
 * primary-key ranges, one short transaction per batch, so that the
 * MODIFY COLUMN after it meets no NULL (strict mode refuses them) and
 * no writer waits behind one long UPDATE of the whole table.
 *
 * The step's forward SQL is the one UPDATE the renderings and the dry
 * run send; apply runs it batch by batch (my_backfill_batch_sql),
 * checkpointed in the journal's step row, so a killed apply resumes
 * after the last committed batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"
#include "session.h"

/* The one-column integer primary key of `t`, or NULL. */
static const m_column *int_key(const m_table *t)
{
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *k = &t->constraints[i];
		if (k->kind != M_CON_PRIMARY || k->ncolumns != 1)
			continue;
		for (int j = 0; j < t->ncolumns; j++) {
			const m_column *c = &t->columns[j];
			const char *ty = c->type;
			if (strcmp(c->name, k->columns[0]))
				continue;
			/* Integers compare as numbers with the checkpoint's
			 * text; other keys keep the plain statement. */
			if (strstr(ty, "int") && !strchr(ty, '('))
				return c;
			return NULL;
		}
	}
	return NULL;
}

int my_plan_backfill(plan *p, const diff_stmt *s)
{
	if (s->change != MYC_MODIFY_COLUMN)
		return 0;
	const m_column *x = s->before.obj, *y = s->after.obj;
	const m_table *a = s->before.parent;
	if (!x || !y || !a || x->not_null || !y->not_null || !y->default_expr ||
	    y->generated_expr)
		return 0;
	const m_column *key = int_key(a);
	if (!key)
		return 0;
	strbuf tbl = STRBUF_INIT, set = STRBUF_INIT, pending = STRBUF_INIT,
	       k = STRBUF_INIT, fwd = STRBUF_INIT;
	my_qname(&tbl, a->schema, a->name);
	my_quote_ident(&set, y->name);
	/* The default as the target's DDL spells it: the parser's
	 * canonical literal or parenthesised expression. */
	strbuf_addf(&set, " = %s", y->default_expr);
	my_quote_ident(&pending, y->name);
	strbuf_adds(&pending, " IS NULL");
	my_quote_ident(&k, key->name);
	strbuf_addf(&fwd, "UPDATE %s SET %s WHERE %s;\n", tbl.buf, set.buf,
		    pending.buf);
	plan_step *st =
	    plan_add_step(p, "backfill", s->object, tbl.buf, strbuf_str(&fwd));
	plan_backfill *b = arena_alloc(&p->arena, sizeof(*b));
	memset(b, 0, sizeof(*b));
	b->table = plan_str(p, tbl.buf);
	b->key = plan_str(p, k.buf);
	b->key_type = plan_str(p, key->type);
	b->set = plan_str(p, set.buf);
	b->pending = plan_str(p, pending.buf);
	st->backfill = b;
	st->transactional = false;
	st->rollback_transactional = false;
	st->scans = true;
	st->lock = plan_str(p, "none");
	st->batch_size =
	    p->settings.batch_size > 0 ? p->settings.batch_size : 1000;
	st->batch_pause_ms = p->settings.batch_pause_ms;
	st->hazards = HZ_BACKFILL | HZ_NOT_TRANSACTIONAL | HZ_IRREVERSIBLE;
	plan_step_set_no_rollback(
	    p, st,
	    "the rows it filled are not told apart from the others: the "
	    "next step's rollback makes the column nullable again, the "
	    "values stay");
	st->note = plan_str(
	    p, "NULLs filled with the default before NOT NULL, by primary-key "
	       "ranges (apply batches it; the SQL renderings run one UPDATE)");
	strbuf_release(&tbl);
	strbuf_release(&set);
	strbuf_release(&pending);
	strbuf_release(&k);
	strbuf_release(&fwd);
	return st->n;
}

/* `id` as a string literal, for the journal's key columns. */
static void lit(strbuf *sb, const char *s)
{
	my_quote_literal(sb, s);
}

/*
 * One batch, as one transaction sent statement by statement on the
 * step's session (my_session_query runs a text of several and returns
 * the last row): the checkpoint and the end key are read from the
 * journal's step row (locked), the next `limit` keys found, their rows
 * updated, the checkpoint moved and the rows added, then the figures
 * read back. The user variables are reset first: a batch never sees the
 * previous one's values. No journal row: the last query returns none.
 */
int my_backfill_batch_sql(const plan_backfill *b, const char *apply_id,
			  int step, int limit, strbuf *sql, error *e)
{
	char *schema, *name;
	if (!b->key || !b->set || !b->pending ||
	    my_split_qname(b->table, &schema, &name) < 0)
		return error_set(e, EXIT_USAGE,
				 "backfill of %s: not a batched update",
				 b->table);
	free(schema);
	free(name);
	strbuf row = STRBUF_INIT, where = STRBUF_INIT;
	strbuf_adds(&where, "WHERE `apply_id` = ");
	lit(&where, apply_id);
	strbuf_addf(&where, " AND `phase` = 'forward' AND `n` = %d", step);
	strbuf_addf(&row, "`schemig`.`apply_steps` %s", where.buf);
	strbuf_adds(sql, "SET @sg_lo = NULL, @sg_end = NULL, @sg_hi = NULL, "
			 "@sg_n = 0;\nSTART TRANSACTION;\n");
	strbuf_addf(sql,
		    "SELECT `checkpoint`, `backfill_end` INTO @sg_lo, @sg_end "
		    "FROM %s FOR UPDATE;\n",
		    row.buf);
	strbuf_addf(sql,
		    "SET @sg_end = COALESCE(@sg_end, (SELECT MAX(%s) FROM "
		    "%s));\n",
		    b->key, b->table);
	strbuf_addf(sql,
		    "SELECT MAX(k) INTO @sg_hi FROM (SELECT %s AS k FROM %s "
		    "WHERE (@sg_lo IS NULL OR %s > CAST(@sg_lo AS DECIMAL(20, "
		    "0))) AND %s <= @sg_end ORDER BY %s LIMIT %d) AS batch;\n",
		    b->key, b->table, b->key, b->key, b->key, limit);
	strbuf_addf(
	    sql,
	    "UPDATE %s SET %s WHERE (@sg_lo IS NULL OR %s > "
	    "CAST(@sg_lo AS DECIMAL(20, 0))) AND %s <= @sg_hi AND %s;\n",
	    b->table, b->set, b->key, b->key, b->pending);
	strbuf_adds(sql, "SET @sg_n = ROW_COUNT();\n");
	strbuf_addf(sql,
		    "UPDATE `schemig`.`apply_steps` SET `checkpoint` = "
		    "COALESCE(@sg_hi, `checkpoint`), `backfill_end` = @sg_end, "
		    "`rows` = COALESCE(`rows`, 0) + @sg_n %s;\n",
		    where.buf);
	strbuf_adds(sql, "COMMIT;\n");
	strbuf_addf(sql,
		    "SELECT @sg_n, IF(@sg_hi IS NULL OR @sg_hi >= @sg_end, "
		    "'t', 'f'), NULL FROM %s",
		    row.buf);
	strbuf_release(&row);
	strbuf_release(&where);
	return 0;
}
