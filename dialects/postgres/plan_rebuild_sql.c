/*
 * The SQL of an online table rebuild (plan_rebuild_online.c): the names
 * things have before, during and after the swap, the new table made
 * under temporary names, the mirroring triggers, the renames, the
 * sequences carried on, the copy's script.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "plan_online.h"

bool pgo_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

const char *pgo_tmp_name(online *o, const char *name)
{
	return pgp_helper_name(o->c, name, NEW_SUFFIX);
}

const char *pgo_aside_name(online *o, const char *name)
{
	return pgp_helper_name(o->c, name, ASIDE_SUFFIX);
}

const char *pgo_q(online *o, const char *name)
{
	return pgp_qname(o->c, o->schema, name);
}

bool pgo_in_list(const char *const *l, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return true;
	return false;
}

/* The quoted, comma-separated list of `cols`, each after `prefix`. */
const char *pgo_names(online *o, const char *const *cols, int n,
		      const char *prefix)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s%s", i ? ", " : "", prefix);
		pg_quote_ident(&sb, cols[i]);
	}
	const char *s = pgp_sprintf(o->c, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

bool pgo_is_new_table(online *o, const char *name)
{
	for (int i = 0; i < o->nnewp; i++)
		if (!strcmp(o->newp[i]->name, name))
			return true;
	return false;
}

/* A key whose name is an index's: it must not clash while both tables
 * exist. */
bool pgo_has_index(const m_constraint *k)
{
	return k->kind == M_CON_PRIMARY || k->kind == M_CON_UNIQUE ||
	       k->kind == M_CON_EXCLUDE;
}

/* An index's "CREATE [UNIQUE] INDEX name ON [ONLY] table USING ..." (as
 * pg_get_indexdef prints it) under the names `to` gives it and its
 * table; NULL when it does not read exactly so. */
const char *pgo_index_renamed(online *o, const char *sql, const char *name,
			      const char *table, namer to)
{
	pgp_ctx *c = o->c;
	const char *p;
	if (!strncmp(sql, "CREATE INDEX ", 13))
		p = sql + 13;
	else if (!strncmp(sql, "CREATE UNIQUE INDEX ", 20))
		p = sql + 20;
	else
		return NULL;
	const char *qi = pgp_ident(c, name);
	const char *qt = pgo_q(o, table);
	size_t li = strlen(qi), lt = strlen(qt);
	if (strncmp(p, qi, li) || strncmp(p + li, " ON ", 4))
		return NULL;
	/* "ON ONLY" would leave the partitions without it. */
	const char *t = p + li + 4;
	if (!strncmp(t, "ONLY ", 5))
		t += 5;
	if (strncmp(t, qt, lt) || strncmp(t + lt, " USING ", 7))
		return NULL;
	return pgp_sprintf(c, "%.*s%s ON %s%s", (int)(p - sql), sql,
			   pgp_ident(c, to(o, name)), pgo_q(o, to(o, table)),
			   t + lt);
}

/* The group's CREATE INDEX `s` on the new table's temporary names. */
const char *pgo_index_on_new(online *o, const diff_stmt *s)
{
	if (!s->obj.table || !s->obj.name ||
	    !pgo_is_new_table(o, s->obj.table) ||
	    !pgo_same(s->obj.schema, o->schema))
		return NULL;
	return pgo_index_renamed(o, s->sql, s->obj.name, s->obj.table,
				 pgo_tmp_name);
}

/* A trigger's definition ("CREATE TRIGGER name ... ON table ...") on the
 * table `to` names; NULL when the table is not named exactly once. */
const char *pgo_trigger_renamed(online *o, const m_trigger *t, namer to)
{
	const char *on = pgp_sprintf(o->c, " ON %s ", pgo_q(o, t->table));
	const char *at = strstr(t->definition, on);
	if (!at || strstr(at + 1, on))
		return NULL;
	return pgp_sprintf(o->c, "%.*s ON %s %s", (int)(at - t->definition),
			   t->definition, pgo_q(o, to(o, t->table)),
			   at + strlen(on));
}

/* A statistics object's definition ("CREATE STATISTICS name ... FROM
 * table") under the name and on the table `to` gives; NULL when it does
 * not read exactly so. */
const char *pgo_statistics_renamed(online *o, const m_statistics *x, namer to)
{
	const char *def = x->definition;
	const char *head = pgp_sprintf(o->c, "CREATE STATISTICS %s ",
				       pgp_qname(o->c, x->schema, x->name));
	const char *tail = pgp_sprintf(o->c, " FROM %s", pgo_q(o, x->table));
	size_t lh = strlen(head), lt = strlen(tail), ld = strlen(def);
	if (!pgo_same(x->table_schema, o->schema) || ld < lh + lt ||
	    strncmp(def, head, lh) || strcmp(def + ld - lt, tail))
		return NULL;
	return pgp_sprintf(o->c, "CREATE STATISTICS %s %.*s FROM %s",
			   pgp_qname(o->c, x->schema, to(o, x->name)),
			   (int)(ld - lh - lt), def + lh,
			   pgo_q(o, to(o, x->table)));
}

/* `t` under its temporary name, its keys too, its parent's temporary
 * name, its identity columns with a sequence of their own. */
const m_table *pgo_as_named(online *o, const m_table *t, namer to)
{
	arena *ar = &o->c->arena;
	m_table *x = arena_alloc(ar, sizeof(*x));
	*x = *t;
	x->name = (char *)to(o, t->name);
	if (t->parent.schema)
		x->parent.name = (char *)to(o, t->parent.name);
	x->constraints = arena_alloc(ar, sizeof(m_constraint) *
					     (size_t)(t->nconstraints + 1));
	for (int i = 0; i < t->nconstraints; i++) {
		x->constraints[i] = t->constraints[i];
		if (pgo_has_index(&t->constraints[i]))
			x->constraints[i].name =
			    (char *)to(o, t->constraints[i].name);
	}
	x->columns =
	    arena_alloc(ar, sizeof(m_column) * (size_t)(t->ncolumns + 1));
	for (int i = 0; i < t->ncolumns; i++) {
		m_column *col = &x->columns[i];
		*col = t->columns[i];
		if (!col->identity)
			continue;
		/* The new table's a temporary name; the old copy made
		 * again the usual one, which it had. */
		const char *seq =
		    pgo_seq_name(o, col->name, to == pgo_tmp_name);
		if (!seq)
			continue;
		col->identity_options = (char *)pgp_sprintf(
		    o->c, "SEQUENCE NAME %s%s%s", pgo_q(o, seq),
		    col->identity_options ? " " : "",
		    col->identity_options ? col->identity_options : "");
	}
	return x;
}

/* The mirroring trigger: each write of `src` made in `dst` too, by the
 * old key; `conflict` the key of `dst` an insert meets. SECURITY
 * DEFINER: the writer needs no privilege on a table it does not know. */
void pgo_sync_sql(online *o, strbuf *sb, const char *fn, const char *src,
		  const char *dst, const char *const *cols, int ncols,
		  const m_constraint *conflict)
{
	const char *qfn = pgo_q(o, fn);
	const m_constraint *ok = o->ok;
	if (!conflict)
		conflict = ok;
	strbuf_addf(sb,
		    "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql "
		    "SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
		    "AS $schemig$\nBEGIN\n"
		    "\tIF TG_OP <> 'INSERT' THEN\n"
		    "\t\tDELETE FROM %s WHERE ",
		    qfn, dst);
	for (int i = 0; i < ok->ncolumns; i++) {
		const char *k = pgp_ident(o->c, ok->columns[i]);
		strbuf_addf(sb, "%s%s = OLD.%s", i ? " AND " : "", k, k);
	}
	strbuf_addf(sb,
		    ";\n\tEND IF;\n"
		    "\tIF TG_OP <> 'DELETE' THEN\n"
		    "\t\tINSERT INTO %s (%s) OVERRIDING SYSTEM VALUE VALUES "
		    "(%s) ON CONFLICT (%s) ",
		    dst, pgo_names(o, cols, ncols, ""),
		    pgo_names(o, cols, ncols, "NEW."),
		    pgo_names(o, (const char *const *)conflict->columns,
			      conflict->ncolumns, ""));
	/* The key's own columns are equal already; a partition key must not
	 * be set (the row would move). */
	int set = 0;
	for (int i = 0; i < ncols; i++) {
		if (pgo_in_list((const char *const *)conflict->columns,
				conflict->ncolumns, cols[i]))
			continue;
		strbuf_adds(sb, set++ ? ", " : "DO UPDATE SET ");
		pg_quote_ident(sb, cols[i]);
		strbuf_adds(sb, " = EXCLUDED.");
		pg_quote_ident(sb, cols[i]);
	}
	if (!set)
		strbuf_adds(sb, "DO NOTHING");
	strbuf_addf(sb,
		    ";\n\tEND IF;\n\tRETURN NULL;\nEND\n$schemig$;\n"
		    "CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s "
		    "FOR EACH ROW EXECUTE FUNCTION %s();\n",
		    pgp_ident(o->c, fn), src, qfn);
}

void pgo_drop_sync_sql(online *o, strbuf *sb, const char *fn, const char *on)
{
	strbuf_addf(sb, "DROP TRIGGER IF EXISTS %s ON %s;\n",
		    pgp_ident(o->c, fn), on);
	strbuf_addf(sb, "DROP FUNCTION IF EXISTS %s();\n", pgo_q(o, fn));
}

const char *pgo_sync_fn(online *o)
{
	return pgp_helper_name(o->c, o->b->name, "_schemig_sync");
}

const char *pgo_back_fn(online *o)
{
	return pgp_helper_name(o->c, o->b->name, "_schemig_back");
}

const char *pgo_real_name(online *o, const char *n)
{
	(void)o;
	return n;
}

/*
 * A partition's indexes attached to its parent's (those of the parent's
 * keys too) are named by the server after the partition and are in no
 * model: renamed with it, prefix for prefix ("t_p1_schemig_new_pkey"
 * becomes "t_p1_pkey"), read from the catalog. The tables have their
 * new names already. A name that would be too long stays.
 */
static void partition_indexes(online *o, strbuf *sb, const m_table *const *ts,
			      int n, namer from, namer to)
{
	strbuf_adds(sb,
		    "DO $schemig$\nDECLARE\n\tr record;\nBEGIN\n"
		    "\tFOR r IN SELECT i.relname, p.pto || substr(i.relname,"
		    " char_length(p.pfrom) + 1) AS to_name\n"
		    "\t  FROM (VALUES ");
	for (int i = 0; i < n; i++) {
		strbuf_adds(sb, i ? ", (" : "(");
		pg_quote_literal(sb, pgo_q(o, to(o, ts[i]->name)));
		strbuf_adds(sb, ", ");
		pg_quote_literal(
		    sb, pgp_sprintf(o->c, "%s_", from(o, ts[i]->name)));
		strbuf_adds(sb, ", ");
		pg_quote_literal(sb,
				 pgp_sprintf(o->c, "%s_", to(o, ts[i]->name)));
		strbuf_adds(sb, ")");
	}
	strbuf_adds(
	    sb, ") AS p(rel, pfrom, pto)\n"
		"\t  JOIN pg_catalog.pg_index x ON x.indrelid = "
		"p.rel::regclass\n"
		"\t  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid\n"
		"\t  WHERE left(i.relname, char_length(p.pfrom)) = p.pfrom\n"
		"\t  AND octet_length(p.pto) + octet_length(i.relname) - "
		"octet_length(p.pfrom) <= 63\n"
		"\t  AND EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE "
		"h.inhrelid = i.oid)\n\tLOOP\n"
		"\t\tEXECUTE format('ALTER INDEX %I.%I RENAME TO %I', ");
	pg_quote_literal(sb, o->schema);
	strbuf_adds(sb,
		    ", r.relname, r.to_name);\n\tEND LOOP;\nEND\n$schemig$;\n");
}

/* Tables `ts` (described by model `m`), their keys and indexes, from
 * the names `from` gives to those `to` gives. */
void pgo_rename_family(online *o, strbuf *sb, const m_table *const *ts, int n,
		       const model *m, namer from, namer to)
{
	pgp_ctx *c = o->c;
	for (int i = 0; i < n; i++)
		strbuf_addf(sb, "ALTER TABLE %s RENAME TO %s;\n",
			    pgo_q(o, from(o, ts[i]->name)),
			    pgp_ident(c, to(o, ts[i]->name)));
	for (int i = 0; i < n; i++) {
		const m_table *t = ts[i];
		for (int k = 0; k < t->nconstraints; k++)
			if (pgo_has_index(&t->constraints[k]))
				strbuf_addf(
				    sb,
				    "ALTER TABLE %s RENAME CONSTRAINT %s "
				    "TO %s;\n",
				    pgo_q(o, to(o, t->name)),
				    pgp_ident(c,
					      from(o, t->constraints[k].name)),
				    pgp_ident(c,
					      to(o, t->constraints[k].name)));
		for (int k = 0; k < m->nindexes; k++) {
			const m_index *x = &m->indexes[k];
			if (pgo_same(x->schema, t->schema) &&
			    pgo_same(x->table, t->name))
				strbuf_addf(sb,
					    "ALTER INDEX %s RENAME TO %s;\n",
					    pgo_q(o, from(o, x->name)),
					    pgp_ident(c, to(o, x->name)));
		}
	}
	if (n > 1)
		partition_indexes(o, sb, ts + 1, n - 1, from, to);
}

/* Statistics objects of the table in model `m` (their names are the
 * schema's): the old table's renamed from the names `from` gives to
 * those `to` gives, or (`to` NULL) the new table's dropped. */
void pgo_statistics(online *o, strbuf *sb, const model *m, namer from, namer to)
{
	for (int i = 0; i < m->nstatistics; i++) {
		const m_statistics *x = &m->statistics[i];
		if (!pgo_same(x->table_schema, o->schema) ||
		    !pgo_same(x->table, o->a->name))
			continue;
		if (to)
			strbuf_addf(
			    sb, "ALTER STATISTICS %s RENAME TO %s;\n",
			    pgp_qname(o->c, x->schema, from(o, x->name)),
			    pgp_ident(o->c, to(o, x->name)));
		else
			strbuf_addf(sb, "DROP STATISTICS IF EXISTS %s;\n",
				    pgp_qname(o->c, x->schema, x->name));
	}
}

/* Identity columns of both tables: the sequence of the table that takes
 * the writes from now goes on from the other's. */
void pgo_carry_sequences(online *o, strbuf *sb, bool forward)
{
	for (int i = 0; i < o->b->ncolumns; i++) {
		const m_column *y = &o->b->columns[i];
		const m_column *x = model_table_find_column(o->a, y->name);
		if (!y->identity || !x || !x->identity)
			continue;
		strbuf tmp = STRBUF_INIT, old = STRBUF_INIT;
		pg_quote_literal(
		    &tmp,
		    pgo_q(o, pgp_sprintf(o->c, "%.20s_%.20s%s", o->b->name,
					 y->name, SEQ_SUFFIX)));
		/* The old table is aside in the forward swap, back under
		 * its name in the rollback. */
		pg_quote_literal(
		    &old, forward ? pgo_q(o, pgo_aside_name(o, o->a->name))
				  : pgo_q(o, o->a->name));
		strbuf col = STRBUF_INIT;
		pg_quote_literal(&col, x->name);
		const char *os = pgp_sprintf(
		    o->c, "pg_get_serial_sequence(%s, %s)::regclass",
		    strbuf_str(&old), strbuf_str(&col));
		if (forward)
			strbuf_addf(sb,
				    "SELECT setval(%s::regclass, "
				    "pg_sequence_last_value(%s));\n",
				    strbuf_str(&tmp), os);
		else
			strbuf_addf(sb,
				    "SELECT setval(%s, pg_sequence_last_value("
				    "%s::regclass));\n",
				    os, strbuf_str(&tmp));
		strbuf_release(&tmp);
		strbuf_release(&old);
		strbuf_release(&col);
	}
	/* Sequences owned by a column (serial): owned by the table that
	 * now holds the real name. */
	for (int i = 0; i < o->c->from->nsequences; i++) {
		const m_sequence *s = &o->c->from->sequences[i];
		if (pgo_same(s->owner.schema, o->a->schema) &&
		    pgo_same(s->owner.name, o->a->name))
			strbuf_addf(sb, "ALTER SEQUENCE %s OWNED BY %s.%s;\n",
				    pgp_qname(o->c, s->schema, s->name),
				    pgo_q(o, o->a->name),
				    pgp_ident(o->c, s->owner_column));
	}
}

/* The old key's columns (quoted) and types. */
void pgo_key_of(online *o, const char ***k, const char ***kt)
{
	int n = o->ok->ncolumns;
	*k = arena_alloc(&o->c->arena, sizeof(char *) * (size_t)(n + 1));
	*kt = arena_alloc(&o->c->arena, sizeof(char *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const m_column *x =
		    model_table_find_column(o->a, o->ok->columns[i]);
		(*k)[i] = pgp_ident(o->c, o->ok->columns[i]);
		(*kt)[i] = x ? x->type : "text";
	}
}

/* The copy as one script (psql, the emitters): batches of keys in the
 * key's order, each committed, as apply's batches (copy.c) but with the
 * last key in a variable. */
const char *pgo_copy_script(online *o, const char *qa, const char *qn,
			    const char *cols, int batch, int pause)
{
	const char **k, **kt;
	int n = o->ok->ncolumns;
	pgo_key_of(o, &k, &kt);
	strbuf row = STRBUF_INIT, ord = STRBUF_INIT, desc = STRBUF_INIT,
	       js = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
	pg_copy_key_sql(&row, PG_KEY_ROW, k, kt, n, NULL);
	pg_copy_key_sql(&ord, PG_KEY_ORDER, k, kt, n, NULL);
	pg_copy_key_sql(&desc, PG_KEY_DESC, k, kt, n, NULL);
	pg_copy_key_sql(&js, PG_KEY_JSON, k, kt, n, NULL);
	pg_copy_key_sql(&lo, PG_KEY_VALUE, k, kt, n, "schemig_lo");
	pg_copy_key_sql(&hi, PG_KEY_VALUE, k, kt, n, "schemig_last");
	const char *s = pgp_sprintf(
	    o->c,
	    "DO $schemig$\nDECLARE\n\tschemig_lo jsonb;\n"
	    "\tschemig_next jsonb;\n\tschemig_last jsonb;\nBEGIN\n"
	    "\tSELECT %s INTO schemig_last FROM %s ORDER BY %s LIMIT 1;\n"
	    "\tLOOP\n"
	    "\t\tWITH batch AS (SELECT %s FROM %s WHERE (schemig_lo IS NULL "
	    "OR %s > %s) AND %s <= %s ORDER BY %s LIMIT %d FOR SHARE),\n"
	    "\t\tins AS (INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT "
	    "%s FROM batch ON CONFLICT DO NOTHING)\n"
	    "\t\tSELECT %s INTO schemig_next FROM batch ORDER BY %s LIMIT "
	    "1;\n"
	    "\t\tEXIT WHEN schemig_next IS NULL;\n"
	    "\t\tschemig_lo := schemig_next;\n"
	    "\t\tCOMMIT;\n\t\tPERFORM pg_sleep(%d / 1000.0);\n\tEND LOOP;\n"
	    "END\n$schemig$;\n",
	    js.buf, qa, desc.buf, cols, qa, row.buf, lo.buf, row.buf, hi.buf,
	    ord.buf, batch, qn, cols, cols, js.buf, desc.buf, pause);
	strbuf_release(&row);
	strbuf_release(&ord);
	strbuf_release(&desc);
	strbuf_release(&js);
	strbuf_release(&lo);
	strbuf_release(&hi);
	return s;
}

/* A JSON array (as text) of `n` strings. */
char *pgo_json_strings(online *o, const char *const *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	char *text = json_dumps(a, JSON_COMPACT);
	char *out = plan_str(o->c->p, text);
	free(text);
	json_decref(a);
	return out;
}

/* The old table's enabled triggers, off while it is the copy aside (the
 * reverse trigger's writes are no application's). */
void pgo_old_triggers(online *o, strbuf *sb, const char *on, bool enable)
{
	for (int i = 0; i < o->ntrg; i++)
		strbuf_addf(sb, "ALTER TABLE %s %s TRIGGER %s;\n", on,
			    !enable			? "DISABLE"
			    : o->trg[i]->enabled == 'R' ? "ENABLE REPLICA"
			    : o->trg[i]->enabled == 'A' ? "ENABLE ALWAYS"
							: "ENABLE",
			    pgp_ident(o->c, o->trg[i]->name));
}

const char *pgo_seq_name(online *o, const char *col, bool tmp)
{
	if (tmp)
		return pgp_sprintf(o->c, "%.20s_%.20s%s", o->b->name, col,
				   SEQ_SUFFIX);
	if (strlen(o->b->name) + strlen(col) + 5 > 63)
		return NULL;
	return pgp_sprintf(o->c, "%s_%s_seq", o->b->name, col);
}
