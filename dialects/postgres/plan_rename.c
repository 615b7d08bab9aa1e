/*
 * Declared renames (--rename). A rename is never guessed: without one, a
 * column that disappears while another of the same type appears is a
 * drop and an add, and the planner only hints at the rename.
 *
 * A declared rename is applied to the source model before diffing, the
 * way the server applies it: the table or column gets its new name, and
 * so do the references PostgreSQL follows by itself (constraint and index
 * definitions, foreign keys, triggers, policies, grants, owned
 * sequences). The differ then sees only what else changes, and the plan
 * starts with the RENAME statements.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "pg.h"
#include "plan_internal.h"

static bool is_word(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '$' ||
	       (unsigned char)ch >= 0x80;
}

/* `text` with every whole-word `from` replaced by `to`, in m's arena;
 * text itself when it does not occur. Quoted names are words too. */
static char *replace_word(arena *a, char *text, const char *from,
			  const char *to)
{
	if (!text || !strstr(text, from))
		return text;
	strbuf sb = STRBUF_INIT;
	size_t l = strlen(from);
	const char *p = text;
	for (const char *hit = strstr(p, from); hit; hit = strstr(p, from)) {
		bool left = hit == text || !is_word(hit[-1]);
		bool right = !is_word(hit[l]);
		if (from[0] == '"')
			left = right = true;
		strbuf_add(&sb, p, (size_t)(hit - p));
		strbuf_adds(&sb, left && right ? to : from);
		p = hit + l;
	}
	strbuf_adds(&sb, p);
	char *out = arena_strdup(a, strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

static char *quoted(model *m, const char *ident)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_ident(&sb, ident);
	char *s = model_str(m, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

static char *qualified(model *m, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	char *s = model_str(m, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* The column references of views and policies (diff_deps.c) on table
 * `t` follow a rename: of column `col` to `new_col`, or (col NULL) of
 * the table to `new_table`. */
static void rename_colrefs(model *m, m_colref *refs, int n, const m_table *t,
			   const char *col, const char *new_table,
			   const char *new_col)
{
	for (int k = 0; k < n; k++) {
		m_colref *r = &refs[k];
		if (strcmp(r->schema, t->schema) || strcmp(r->table, t->name) ||
		    (col && strcmp(r->column, col)))
			continue;
		if (col)
			r->column = model_str(m, new_col);
		else
			r->table = model_str(m, new_table);
	}
}

static void rename_column(model *m, m_table *t, m_column *col,
			  const char *new_name)
{
	char *oq = quoted(m, col->name), *nq = quoted(m, new_name);
	char *qt = qualified(m, t->schema, t->name);
	for (int k = 0; k < t->nconstraints; k++) {
		m_constraint *c = &t->constraints[k];
		c->definition = replace_word(&m->arena, c->definition, oq, nq);
		for (int j = 0; j < c->ncolumns; j++)
			if (!strcmp(c->columns[j], col->name))
				c->columns[j] = model_str(m, new_name);
	}
	for (int i = 0; i < m->ntables; i++)
		for (int k = 0; k < m->tables[i].nconstraints; k++) {
			m_constraint *c = &m->tables[i].constraints[k];
			if (c->kind != M_CON_FOREIGN || !c->ref.name ||
			    strcmp(c->ref.name, t->name) ||
			    strcmp(c->ref.schema, t->schema))
				continue;
			for (int j = 0; j < c->nref_columns; j++)
				if (!strcmp(c->ref_columns[j], col->name))
					c->ref_columns[j] =
					    model_str(m, new_name);
			/* "REFERENCES public.t(a, b)": only inside the list. */
			char *r =
			    c->definition ? strstr(c->definition, qt) : NULL;
			if (r) {
				char *tail = replace_word(&m->arena, r, oq, nq);
				strbuf sb = STRBUF_INIT;
				strbuf_add(&sb, c->definition,
					   (size_t)(r - c->definition));
				strbuf_adds(&sb, tail);
				c->definition = model_str(m, strbuf_str(&sb));
				strbuf_release(&sb);
			}
		}
	for (int i = 0; i < m->nindexes; i++) {
		m_index *ix = &m->indexes[i];
		if (!strcmp(ix->schema, t->schema) &&
		    !strcmp(ix->table, t->name))
			ix->definition =
			    replace_word(&m->arena, ix->definition, oq, nq);
	}
	for (int i = 0; i < m->ngrants; i++) {
		m_grant *g = &m->grants[i];
		if (g->column && !strcmp(g->column, col->name) && g->schema &&
		    !strcmp(g->schema, t->schema) && !strcmp(g->name, t->name))
			g->column = model_str(m, new_name);
	}
	for (int i = 0; i < m->nsequences; i++) {
		m_sequence *s = &m->sequences[i];
		if (s->owner_column && !strcmp(s->owner_column, col->name) &&
		    s->owner.name && !strcmp(s->owner.name, t->name))
			s->owner_column = model_str(m, new_name);
	}
	/* The columns views and triggers depend on (diff_deps.c). */
	for (int i = 0; i < m->ntriggers; i++) {
		m_trigger *tr = &m->triggers[i];
		if (strcmp(tr->schema, t->schema) || strcmp(tr->table, t->name))
			continue;
		for (int k = 0; k < tr->ncolumns; k++)
			if (!strcmp(tr->columns[k], col->name))
				tr->columns[k] = model_str(m, new_name);
	}
	for (int i = 0; i < m->nviews; i++)
		rename_colrefs(m, m->views[i].column_deps,
			       m->views[i].ncolumn_deps, t, col->name, NULL,
			       new_name);
	for (int i = 0; i < m->npolicies; i++)
		rename_colrefs(m, m->policies[i].column_deps,
			       m->policies[i].ncolumn_deps, t, col->name, NULL,
			       new_name);
	col->name = model_str(m, new_name);
}

static void rename_table(model *m, m_table *t, const char *new_name)
{
	char *oq = qualified(m, t->schema, t->name);
	char *nq = qualified(m, t->schema, new_name);
	const char *old = t->name;
	for (int i = 0; i < m->ntables; i++) {
		m_table *o = &m->tables[i];
		for (int k = 0; k < o->nconstraints; k++) {
			m_constraint *c = &o->constraints[k];
			if (c->kind == M_CON_FOREIGN && c->ref.name &&
			    !strcmp(c->ref.name, old) &&
			    !strcmp(c->ref.schema, t->schema)) {
				c->ref.name = model_str(m, new_name);
				c->definition = replace_word(
				    &m->arena, c->definition, oq, nq);
			}
		}
		if (o->parent.name && !strcmp(o->parent.name, old) &&
		    !strcmp(o->parent.schema, t->schema))
			o->parent.name = model_str(m, new_name);
	}
	for (int i = 0; i < m->nindexes; i++) {
		m_index *ix = &m->indexes[i];
		if (!strcmp(ix->schema, t->schema) && !strcmp(ix->table, old)) {
			ix->table = model_str(m, new_name);
			ix->definition =
			    replace_word(&m->arena, ix->definition, oq, nq);
		}
	}
	for (int i = 0; i < m->ntriggers; i++) {
		m_trigger *tr = &m->triggers[i];
		if (!strcmp(tr->schema, t->schema) && !strcmp(tr->table, old)) {
			tr->table = model_str(m, new_name);
			tr->definition =
			    replace_word(&m->arena, tr->definition, oq, nq);
		}
	}
	for (int i = 0; i < m->npolicies; i++)
		if (!strcmp(m->policies[i].schema, t->schema) &&
		    !strcmp(m->policies[i].table, old))
			m->policies[i].table = model_str(m, new_name);
	for (int i = 0; i < m->nviews; i++)
		rename_colrefs(m, m->views[i].column_deps,
			       m->views[i].ncolumn_deps, t, NULL, new_name,
			       NULL);
	for (int i = 0; i < m->npolicies; i++)
		rename_colrefs(m, m->policies[i].column_deps,
			       m->policies[i].ncolumn_deps, t, NULL, new_name,
			       NULL);
	for (int i = 0; i < m->ngrants; i++) {
		m_grant *g = &m->grants[i];
		if (g->objkind == 'r' && g->schema &&
		    !strcmp(g->schema, t->schema) && !strcmp(g->name, old))
			g->name = model_str(m, new_name);
	}
	for (int i = 0; i < m->nsequences; i++) {
		m_sequence *s = &m->sequences[i];
		if (s->owner.name && !strcmp(s->owner.name, old) &&
		    !strcmp(s->owner.schema, t->schema))
			s->owner.name = model_str(m, new_name);
	}
	t->name = model_str(m, new_name);
}

static const m_sequence *find_sequence(const model *m, const char *schema,
				       const char *name)
{
	for (int i = 0; i < m->nsequences; i++)
		if (!strcmp(m->sequences[i].schema, schema) &&
		    !strcmp(m->sequences[i].name, name))
			return &m->sequences[i];
	return NULL;
}

/*
 * PostgreSQL keeps constraint and index names when a table is renamed,
 * while a schema file written for the new name gets the new default
 * names ("people_pkey" instead of "users_pkey"). Where the target has the
 * name that the table's new name implies, rename rather than rebuild:
 * dropping a primary key to make it again is exactly what a plan must
 * not do to a hot table.
 */
static void follow_names(pgp_ctx *c, model *from, const plan_rename *r)
{
	plan *p = c->p;
	m_table *t = model_find_table(from, r->schema, r->new_name);
	const m_table *want = model_find_table(c->to, r->schema, r->new_name);
	size_t ol = strlen(r->table);
	if (!t || !want)
		return;
	const char *qt = pgp_qname(c, r->schema, r->new_name);
	for (int k = 0; k < t->nconstraints; k++) {
		m_constraint *con = &t->constraints[k];
		if (strncmp(con->name, r->table, ol) || con->name[ol] != '_')
			continue;
		const char *nn =
		    pgp_sprintf(c, "%s%s", r->new_name, con->name + ol);
		const m_constraint *w = model_table_find_constraint(want, nn);
		if (!w || w->kind != con->kind ||
		    model_table_find_constraint(t, nn))
			continue;
		int n =
		    pgp_step(c, "rename_constraint",
			     pgp_sprintf(c, "%s.%s", qt, pgp_ident(c, nn)), qt,
			     pgp_sprintf(
				 c,
				 "ALTER TABLE %s RENAME CONSTRAINT %s TO %s;\n",
				 qt, pgp_ident(c, con->name), pgp_ident(c, nn)),
			     "ACCESS EXCLUSIVE", HZ_ACCESS_EXCLUSIVE_LOCK)
			->n;
		plan_step_set_rollback(
		    p, &p->steps[n - 1],
		    pgp_sprintf(c,
				"ALTER TABLE %s RENAME CONSTRAINT %s TO %s;\n",
				qt, pgp_ident(c, nn), pgp_ident(c, con->name)));
		p->steps[n - 1].note =
		    plan_str(p, "follows the table's new name: no rebuild");
		con->name = model_str(from, nn);
	}
	for (int i = 0; i < from->nindexes; i++) {
		m_index *ix = &from->indexes[i];
		if (strcmp(ix->schema, r->schema) ||
		    strcmp(ix->table, r->new_name) ||
		    strncmp(ix->name, r->table, ol) || ix->name[ol] != '_')
			continue;
		const char *nn =
		    pgp_sprintf(c, "%s%s", r->new_name, ix->name + ol);
		bool wanted = false, taken = false;
		for (int j = 0; j < c->to->nindexes; j++)
			wanted |=
			    !strcmp(c->to->indexes[j].schema, r->schema) &&
			    !strcmp(c->to->indexes[j].name, nn);
		for (int j = 0; j < from->nindexes; j++)
			taken |= !strcmp(from->indexes[j].schema, r->schema) &&
				 !strcmp(from->indexes[j].name, nn);
		if (!wanted || taken)
			continue;
		const char *qi = pgp_qname(c, r->schema, ix->name);
		int n =
		    pgp_step(c, "rename_index", pgp_qname(c, r->schema, nn), qt,
			     pgp_sprintf(c, "ALTER INDEX %s RENAME TO %s;\n",
					 qi, pgp_ident(c, nn)),
			     "SHARE UPDATE EXCLUSIVE", 0)
			->n;
		plan_step_set_rollback(
		    p, &p->steps[n - 1],
		    pgp_sprintf(c, "ALTER INDEX %s RENAME TO %s;\n",
				pgp_qname(c, r->schema, nn),
				pgp_ident(c, ix->name)));
		p->steps[n - 1].note =
		    plan_str(p, "follows the table's new name: no rebuild");
		ix->definition =
		    replace_word(&from->arena, ix->definition,
				 quoted(from, ix->name), quoted(from, nn));
		ix->name = model_str(from, nn);
	}
	/* Owned sequences too (a serial's "users_id_seq"): a target written
	 * for the new name has "people_id_seq", and making that one anew
	 * would restart the ids at 1 while the old rows keep theirs. */
	for (int i = 0; i < from->nsequences; i++) {
		m_sequence *sq = &from->sequences[i];
		if (strcmp(sq->schema, r->schema) || !sq->owner.name ||
		    strcmp(sq->owner.name, r->new_name) ||
		    strcmp(sq->owner.schema, r->schema) ||
		    strncmp(sq->name, r->table, ol) || sq->name[ol] != '_')
			continue;
		const char *nn =
		    pgp_sprintf(c, "%s%s", r->new_name, sq->name + ol);
		if (!find_sequence(c->to, r->schema, nn) ||
		    find_sequence(from, r->schema, nn))
			continue;
		const char *qo = pgp_qname(c, r->schema, sq->name);
		const char *qn = pgp_qname(c, r->schema, nn);
		int n =
		    pgp_step(c, "rename_sequence", qn, qt,
			     pgp_sprintf(c, "ALTER SEQUENCE %s RENAME TO %s;\n",
					 qo, pgp_ident(c, nn)),
			     "ACCESS EXCLUSIVE", 0)
			->n;
		plan_step_set_rollback(
		    p, &p->steps[n - 1],
		    pgp_sprintf(c, "ALTER SEQUENCE %s RENAME TO %s;\n", qn,
				pgp_ident(c, sq->name)));
		p->steps[n - 1].note =
		    plan_str(p, "follows the table's new name: the ids go on");
		/* Defaults name the sequence as a regclass literal. */
		const char *lo = pgp_sprintf(c, "'%s'::regclass", qo);
		const char *ln = pgp_sprintf(c, "'%s'::regclass", qn);
		for (int t = 0; t < from->ntables; t++)
			for (int k = 0; k < from->tables[t].ncolumns; k++) {
				m_column *col = &from->tables[t].columns[k];
				if (col->default_expr &&
				    strstr(col->default_expr, lo))
					col->default_expr = replace_word(
					    &from->arena, col->default_expr, lo,
					    ln);
			}
		sq->name = model_str(from, nn);
	}
}

int pgp_apply_renames(pgp_ctx *c, model *from, error *e)
{
	plan *p = c->p;
	for (int i = 0; i < p->nrenames; i++) {
		const plan_rename *r = &p->renames[i];
		m_table *t = model_find_table(from, r->schema, r->table);
		if (!t)
			return error_set(
			    e, EXIT_USAGE,
			    "--rename: no table %s.%s in the source", r->schema,
			    r->table);
		const char *qt = pgp_qname(c, r->schema, r->table);
		const char *sql, *back, *obj;
		if (r->column) {
			m_column *col = model_table_find_column(t, r->column);
			if (!col)
				return error_set(e, EXIT_USAGE,
						 "--rename: table %s has no "
						 "column %s",
						 qt, r->column);
			if (model_table_find_column(t, r->new_name))
				return error_set(e, EXIT_USAGE,
						 "--rename: table %s already "
						 "has a column %s",
						 qt, r->new_name);
			obj = pgp_sprintf(c, "%s.%s", qt,
					  pgp_ident(c, r->new_name));
			sql = pgp_sprintf(
			    c, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", qt,
			    pgp_ident(c, r->column), pgp_ident(c, r->new_name));
			back = pgp_sprintf(
			    c, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", qt,
			    pgp_ident(c, r->new_name), pgp_ident(c, r->column));
			rename_column(from, t, col, r->new_name);
		} else {
			if (model_find_table(from, r->schema, r->new_name))
				return error_set(
				    e, EXIT_USAGE,
				    "--rename: %s already exists",
				    pgp_qname(c, r->schema, r->new_name));
			obj = pgp_qname(c, r->schema, r->new_name);
			sql = pgp_sprintf(c, "ALTER TABLE %s RENAME TO %s;\n",
					  qt, pgp_ident(c, r->new_name));
			back = pgp_sprintf(c, "ALTER TABLE %s RENAME TO %s;\n",
					   obj, pgp_ident(c, r->table));
			rename_table(from, t, r->new_name);
		}
		int n =
		    pgp_step(c, r->column ? "rename_column" : "rename_table",
			     obj, qt, sql, "ACCESS EXCLUSIVE",
			     HZ_ACCESS_EXCLUSIVE_LOCK | HZ_BREAKS_OLD_CODE)
			->n;
		plan_step_set_rollback(p, &p->steps[n - 1], back);
		p->steps[n - 1].note =
		    plan_str(p, "declared with --rename: the data stays");
		plan_add_reason(p, n, obj,
				"%s renamed: the deployed code still uses the "
				"old name",
				r->column ? "column" : "table");
		if (!r->column)
			follow_names(c, from, r);
		model_sort(from);
	}
	return 0;
}

/* The data checks run on the source, before any step: they must name
 * tables and columns as the source does. */
void pgp_unrename_checks(pgp_ctx *c)
{
	plan *p = c->p;
	for (int k = 0; k < p->nchecks; k++) {
		plan_check *ck = &p->checks[k];
		for (int i = p->nrenames - 1; i >= 0; i--) {
			const plan_rename *r = &p->renames[i];
			bool here = !strcmp(ck->schema, r->schema) &&
				    !strcmp(ck->table,
					    r->column ? r->table : r->new_name);
			bool there =
			    ck->ref_table &&
			    !strcmp(ck->ref_schema, r->schema) &&
			    !strcmp(ck->ref_table,
				    r->column ? r->table : r->new_name);
			if (!r->column) {
				if (here)
					ck->table = plan_str(p, r->table);
				if (there)
					ck->ref_table = plan_str(p, r->table);
				continue;
			}
			for (int j = 0; here && j < ck->ncolumns; j++)
				if (!strcmp(ck->columns[j], r->new_name))
					ck->columns[j] = plan_str(p, r->column);
			for (int j = 0; there && j < ck->nref_columns; j++)
				if (!strcmp(ck->ref_columns[j], r->new_name))
					ck->ref_columns[j] =
					    plan_str(p, r->column);
			if (here && ck->expr)
				ck->expr = plan_str(
				    p, replace_word(&c->arena, ck->expr,
						    pgp_ident(c, r->new_name),
						    pgp_ident(c, r->column)));
		}
	}
}

/* A column that goes while one of the same type arrives in the same
 * table may be a rename: say how to declare it, never assume it. */
void pgp_hint_renames(pgp_ctx *c)
{
	for (int i = 0; i < c->fwd.nstmts; i++) {
		const diff_stmt *d = &c->fwd.stmts[i];
		const m_column *gone = d->before.obj;
		const m_table *gt = d->before.parent;
		if (d->change != CHANGE_DROP_COLUMN || !gone)
			continue;
		for (int j = 0; j < c->fwd.nstmts; j++) {
			const diff_stmt *a = &c->fwd.stmts[j];
			const m_column *added = a->after.obj;
			const m_table *at = a->after.parent;
			if (a->change != CHANGE_ADD_COLUMN || !added)
				continue;
			if (!strcmp(at->name, gt->name) &&
			    !strcmp(at->schema, gt->schema) &&
			    !strcmp(added->type, gone->type))
				warn("%s is dropped and %s added with the same "
				     "type; if it is a rename, plan with "
				     "--rename "
				     "%s.%s.%s=%s",
				     d->object, a->object, gt->schema, gt->name,
				     gone->name, added->name);
		}
	}
}

/* The columns of `t` that `other` also has, in `t`'s order, as
 * "a, b, c"; their count. */
static int common_columns(const m_table *t, const m_table *other, strbuf *out)
{
	int n = 0;
	for (int i = 0; i < t->ncolumns; i++) {
		if (!model_table_find_column(other, t->columns[i].name))
			continue;
		strbuf_addf(out, "%s%s", n++ ? ", " : "", t->columns[i].name);
	}
	return n;
}

/*
 * PostgreSQL cannot reorder a table's columns, and a new column goes
 * last: a target that lists the columns both sides have in another
 * order is no difference to migrate, but a reader of the schema file
 * should know the database will not follow it. Said once per table.
 */
void pgp_hint_column_order(pgp_ctx *c)
{
	/* --strict-column-order: such a table is rebuilt (diff_partition.c). */
	if (c->to->strict_column_order)
		return;
	for (int i = 0; i < c->to->ntables; i++) {
		const m_table *t = &c->to->tables[i];
		const m_table *f =
		    model_find_table(c->from, t->schema, t->name);
		if (!f || !t->ncolumns || !f->ncolumns)
			continue;
		strbuf want = STRBUF_INIT, have = STRBUF_INIT;
		common_columns(t, f, &want);
		common_columns(f, t, &have);
		if (strcmp(strbuf_str(&want), strbuf_str(&have)))
			warn("%s.%s: the target lists its columns as "
			     "(%s), the source has them as (%s); PostgreSQL "
			     "cannot reorder a table's columns, so this is "
			     "no difference and the plan keeps the order",
			     t->schema, t->name, strbuf_str(&want),
			     strbuf_str(&have));
		strbuf_release(&want);
		strbuf_release(&have);
	}
}
