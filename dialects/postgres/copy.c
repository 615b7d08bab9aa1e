/*
 * The batches of a table copy (an online rebuild, plan_rebuild_online.c),
 * as apply runs them (pg_copy_batch_sql) and as the plan's script writes
 * them (pg_copy_key_sql).
 *
 * The copy goes in the order of the old table's primary key, of one
 * column or several. Its checkpoint (a text column of the journal) is the
 * last key copied as a JSON array, `jsonb_build_array(k1, k2)`; each
 * element is cast back to its column's type, so that keys compare as the
 * key's index orders them, as one row: `(k1, k2) > (x, y)`, which the
 * index answers as a range.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "pg.h"
#include "session.h"

void pg_copy_key_sql(strbuf *out, enum pg_copy_key what,
		     const char *const *keys, const char *const *types, int n,
		     const char *var)
{
	if (what == PG_KEY_ROW || what == PG_KEY_VALUE)
		strbuf_addch(out, '(');
	if (what == PG_KEY_JSON)
		strbuf_adds(out, "jsonb_build_array(");
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(out, ", ");
		if (what == PG_KEY_VALUE)
			strbuf_addf(out, "(%s ->> %d)::%s", var, i, types[i]);
		else
			strbuf_adds(out, keys[i]);
		if (what == PG_KEY_DESC)
			strbuf_adds(out, " DESC");
	}
	if (what != PG_KEY_ORDER && what != PG_KEY_DESC)
		strbuf_addch(out, ')');
}

/* The JSON array of strings `text` as an array of `n` strings (owned by
 * `j`); -1 when it is not one. */
static int strings(const char *text, json_t **j, const char ***out, int *n)
{
	*j = json_loads(text ? text : "", 0, NULL);
	*out = NULL;
	*n = 0;
	if (!json_is_array(*j) || !json_array_size(*j))
		return -1;
	*n = (int)json_array_size(*j);
	*out = calloc((size_t)*n, sizeof(char *));
	for (int i = 0; i < *n; i++) {
		(*out)[i] = json_string_value(json_array_get(*j, (size_t)i));
		if (!(*out)[i])
			return -1;
	}
	return 0;
}

/*
 * The next `limit` keys of the old table after the checkpoint, up to the
 * last key there was at the first batch (rows written since reach the
 * new table through the sync trigger), read FOR SHARE so that a writer
 * updating or deleting one of them waits for the batch (its trigger then
 * replaces or removes what the batch copied: a deleted row never comes
 * back), inserted ON CONFLICT DO NOTHING (a row the trigger wrote is
 * newer). The two branches keep each read an index range scan. It
 * returns the rows read, whether it was the last batch, and the longest
 * wait it caused.
 */
static void batch(strbuf *sql, const plan_backfill *b, const char *apply_id,
		  int step, int limit, const char *const *k,
		  const char *const *kt, int n)
{
	strbuf row = STRBUF_INIT, ord = STRBUF_INIT, desc = STRBUF_INIT,
	       js = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
	pg_copy_key_sql(&row, PG_KEY_ROW, k, kt, n, NULL);
	pg_copy_key_sql(&ord, PG_KEY_ORDER, k, kt, n, NULL);
	pg_copy_key_sql(&desc, PG_KEY_DESC, k, kt, n, NULL);
	pg_copy_key_sql(&js, PG_KEY_JSON, k, kt, n, NULL);
	pg_copy_key_sql(&lo, PG_KEY_VALUE, k, kt, n, "(SELECT lo FROM bounds)");
	pg_copy_key_sql(&hi, PG_KEY_VALUE, k, kt, n, "(SELECT hi FROM bounds)");
	const char *t = b->table, *cols = b->columns;
	strbuf_adds(sql, "WITH st AS (SELECT checkpoint, backfill_end"
			 " FROM schemig.apply_steps WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	strbuf_adds(sql, " FOR UPDATE),\n");
	strbuf_addf(sql,
		    "bounds AS (SELECT checkpoint::jsonb AS lo,"
		    " coalesce(backfill_end::jsonb,"
		    " (SELECT %s FROM %s ORDER BY %s LIMIT 1)) AS hi"
		    " FROM st),\n",
		    js.buf, t, desc.buf);
	strbuf_addf(sql,
		    "b1 AS (SELECT %s FROM %s"
		    " WHERE (SELECT lo FROM bounds) IS NOT NULL"
		    " AND %s > %s AND %s <= %s ORDER BY %s LIMIT %d"
		    " FOR SHARE),\n",
		    cols, t, row.buf, lo.buf, row.buf, hi.buf, ord.buf, limit);
	strbuf_addf(sql,
		    "b0 AS (SELECT %s FROM %s WHERE EXISTS (SELECT FROM st)"
		    " AND (SELECT lo FROM bounds) IS NULL"
		    " AND %s <= %s ORDER BY %s LIMIT %d FOR SHARE),\n",
		    cols, t, row.buf, hi.buf, ord.buf, limit);
	strbuf_addf(sql,
		    "batch AS (SELECT * FROM b1 UNION ALL SELECT * FROM b0),\n"
		    "ins AS (INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE"
		    " SELECT %s FROM batch ON CONFLICT DO NOTHING),\n",
		    b->copy_into, cols, cols);
	strbuf_addf(sql,
		    "span AS (SELECT (SELECT %s FROM batch ORDER BY %s LIMIT 1)"
		    " AS last_key, (SELECT count(*) FROM batch) AS picked),\n",
		    js.buf, desc.buf);
	strbuf_adds(sql, "cp AS (UPDATE schemig.apply_steps SET checkpoint ="
			 " coalesce((SELECT last_key FROM span)::text,"
			 " checkpoint), backfill_end = coalesce(backfill_end,"
			 " (SELECT hi FROM bounds)::text),"
			 " rows = coalesce(rows, 0) + (SELECT picked FROM span)"
			 " WHERE ");
	pg_batch_step_row(sql, apply_id, step);
	/* The last batch: fewer rows than asked, or it reached the end key
	 * (the same row's key, so the same JSON). */
	strbuf_addf(sql,
		    ")\nSELECT (SELECT picked FROM span),"
		    " (SELECT picked FROM span) < %d OR (SELECT last_key FROM"
		    " span) = (SELECT hi FROM bounds)",
		    limit);
	pg_batch_waits_column(sql, b);
	strbuf_adds(sql, " FROM st");
	strbuf_release(&row);
	strbuf_release(&ord);
	strbuf_release(&desc);
	strbuf_release(&js);
	strbuf_release(&lo);
	strbuf_release(&hi);
}

int pg_copy_batch_sql(const plan_backfill *b, const char *apply_id, int step,
		      int limit, strbuf *sql, error *e)
{
	json_t *jk = NULL, *jt = NULL;
	const char **k = NULL, **kt = NULL;
	int nk = 0, nt = 0, rc = 0;
	if (!b->table || !b->columns || !apply_id)
		rc = error_set(e, EXIT_USAGE, "copy batch: incomplete copy");
	else if (strings(b->key, &jk, &k, &nk) < 0 ||
		 strings(b->key_type, &jt, &kt, &nt) < 0 || nk != nt)
		rc = error_set(e, EXIT_USAGE,
			       "copy batch of %s: its key and key types are "
			       "not two JSON arrays of strings of one length",
			       b->table);
	else if (step < 1 || limit < 1)
		rc = error_set(e, EXIT_USAGE,
			       "copy batch of %s: step %d, limit %d", b->table,
			       step, limit);
	else
		batch(sql, b, apply_id, step, limit, k, kt, nk);
	free(k);
	free(kt);
	json_decref(jk);
	json_decref(jt);
	return rc;
}
