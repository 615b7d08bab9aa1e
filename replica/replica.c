/*
 * git schemig replica: what a copy holds and where it goes (replica.h).
 * The dialect streams the rows (dialect->replica_fill); this file reads
 * the source's schema, decides the tables' order, the ones a sample
 * keeps whole and every column's mask, guards the target, and checks
 * the result.
 */
#include "replica.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../exec/dryrun.h"
#include "../plan/plan.h"
#include "../source/source.h"
#include "../util/xalloc.h"

struct replica_copy {
	char *url;
	source_sandbox *sb; /* dev: the scratch database it lives in */
};

const char *replica_copy_url(const replica_copy *c)
{
	return c->url;
}

void replica_copy_release(replica_copy *c)
{
	if (!c)
		return;
	source_sandbox_drop(c->sb);
	free(c->url);
	free(c);
}

/* --- The tables --- */

static int table_index(const replica_job *job, const char *schema,
		       const char *name)
{
	for (int i = 0; i < job->ntables; i++)
		if (!strcmp(job->tables[i].t->name, name) &&
		    !strcmp(job->tables[i].t->schema, schema))
			return i;
	return -1;
}

/* Does the index definition name `col` as a whole word? The model keeps
 * an index as the server prints it; a false yes only makes a mask rule
 * stricter. */
static bool names_column(const char *def, const char *col)
{
	size_t n = strlen(col);
	for (const char *p = strstr(def, col); p; p = strstr(p + 1, col)) {
		char b = p == def ? ' ' : p[-1], a = p[n];
		if ((b == '(' || b == ' ' || b == '"') &&
		    (a == ')' || a == ',' || a == ' ' || a == '"'))
			return true;
	}
	return false;
}

static bool in_unique(const model *m, const m_table *t, const char *col)
{
	for (int i = 0; i < t->nconstraints; i++) {
		const m_constraint *c = &t->constraints[i];
		if (c->kind != M_CON_PRIMARY && c->kind != M_CON_UNIQUE)
			continue;
		for (int j = 0; j < c->ncolumns; j++)
			if (!strcmp(c->columns[j], col))
				return true;
	}
	for (int i = 0; i < m->nindexes; i++) {
		const m_index *x = &m->indexes[i];
		if (x->unique && !strcmp(x->schema, t->schema) &&
		    !strcmp(x->table, t->name) &&
		    names_column(x->definition, col))
			return true;
	}
	return false;
}

static bool has_children(const model *m, const m_table *t)
{
	for (int i = 0; i < m->ntables; i++)
		for (int j = 0; j < m->tables[i].ninherits; j++)
			if (!strcmp(m->tables[i].inherits[j].schema,
				    t->schema) &&
			    !strcmp(m->tables[i].inherits[j].name, t->name))
				return true;
	return false;
}

/* One entry per table that holds rows of its own: a partition's rows are
 * copied through its root, which routes them. */
static void collect_tables(replica_job *job)
{
	const model *m = job->source;
	job->tables = arena_alloc(&job->arena, sizeof(replica_table) *
						   (size_t)(m->ntables + 1));
	for (int i = 0; i < m->ntables; i++) {
		const m_table *t = &m->tables[i];
		if (t->parent.schema)
			continue;
		replica_table *rt = &job->tables[job->ntables++];
		rt->t = t;
		rt->only = has_children(m, t);
		rt->source_rows = -1;
		rt->cols =
		    arena_alloc(&job->arena, sizeof(replica_column) *
						 (size_t)(t->ncolumns + 1));
		for (int j = 0; j < t->ncolumns; j++) {
			const m_column *c = &t->columns[j];
			if (c->generated_expr)
				continue;
			replica_column *rc = &rt->cols[rt->ncols++];
			rc->col = c;
			rc->in_unique = in_unique(m, t, c->name);
		}
	}
}

/* Each foreign key becomes a reference on the table it points at. */
static void collect_refs(replica_job *job)
{
	for (int ci = 0; ci < job->ntables; ci++) {
		const m_table *t = job->tables[ci].t;
		for (int k = 0; k < t->nconstraints; k++) {
			const m_constraint *c = &t->constraints[k];
			if (c->kind != M_CON_FOREIGN || !c->ref.name)
				continue;
			int pi = table_index(job, c->ref.schema, c->ref.name);
			if (pi < 0 || c->ncolumns != c->nref_columns)
				continue;
			replica_table *p = &job->tables[pi];
			p->refs = arena_grow(
			    &job->arena, p->refs,
			    sizeof(*p->refs) * (size_t)p->nrefs,
			    sizeof(*p->refs) * (size_t)(p->nrefs + 1));
			p->refs[p->nrefs++] = (replica_ref){
			    ci, (const char *const *)c->columns,
			    (const char *const *)c->ref_columns, c->ncolumns};
		}
	}
}

/* Does a path of foreign keys lead from table `from` back to `to`
 * (following references from parent to child)? */
static bool reaches(const replica_job *job, int from, int to, char *seen)
{
	const replica_table *t = &job->tables[from];
	for (int r = 0; r < t->nrefs; r++) {
		int c = t->refs[r].child;
		if (c == to)
			return true;
		if (seen[c])
			continue;
		seen[c] = 1;
		if (reaches(job, c, to, seen))
			return true;
	}
	return false;
}

/*
 * Parents before children (Kahn's order over the foreign keys), which is
 * how the summary lists them. A table on a cycle of foreign keys (one
 * that references itself included) is copied whole in a sample: which of
 * its rows the kept rows need is a recursive question, and the whole
 * table is its one answer that holds.
 */
static void order_tables(replica_job *job)
{
	int n = job->ntables;
	int *indeg = xcalloc((size_t)n + 1, sizeof(int));
	int *order = xcalloc((size_t)n + 1, sizeof(int));
	char *done = xcalloc((size_t)n + 1, 1),
	     *seen = xcalloc((size_t)n + 1, 1);
	int k = 0;

	for (int i = 0; i < n; i++)
		for (int r = 0; r < job->tables[i].nrefs; r++)
			if (job->tables[i].refs[r].child != i)
				indeg[job->tables[i].refs[r].child]++;
	for (bool moved = true; moved;) {
		moved = false;
		for (int i = 0; i < n; i++) {
			if (done[i] || indeg[i])
				continue;
			done[i] = 1;
			order[k++] = i;
			moved = true;
			for (int r = 0; r < job->tables[i].nrefs; r++)
				if (job->tables[i].refs[r].child != i)
					indeg[job->tables[i].refs[r].child]--;
		}
	}
	for (int i = 0; i < n; i++) {
		memset(seen, 0, (size_t)n);
		if (reaches(job, i, i, seen)) {
			job->tables[i].whole = job->sample_pct < 100;
			job->tables[i].whole_why =
			    "its foreign keys form a cycle";
		}
		if (!done[i])
			order[k++] = i;
	}

	/* Apply the order, renumbering the references' children. */
	int *pos = xcalloc((size_t)n + 1, sizeof(int));
	for (int i = 0; i < n; i++)
		pos[order[i]] = i;
	replica_table *sorted =
	    arena_alloc(&job->arena, sizeof(replica_table) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		sorted[i] = job->tables[order[i]];
		for (int r = 0; r < sorted[i].nrefs; r++)
			sorted[i].refs[r].child = pos[sorted[i].refs[r].child];
	}
	job->tables = sorted;
	free(pos);
	free(indeg);
	free(order);
	free(done);
	free(seen);
}

void replica_job_tables(replica_job *job)
{
	collect_tables(job);
	collect_refs(job);
	order_tables(job);
}

/* --- The target --- */

/*
 * A target that is an environment's database, or the source itself, is
 * refused by the servers' identity (exec/dryrun.h's guard): a replica
 * replaces what its database holds. A target that cannot be reached yet
 * (a database the fill creates) is left to the fill, which refuses a
 * database holding anything it did not copy.
 */
static int guard(const replica_opts *o, const replica_job *job, error *e)
{
	const dialect *d = o->sc->dialect;
	dialect_conn *c = NULL;
	error ignore = ERROR_INIT;
	int reachable = d->session_connect(job->target_url, &c, &ignore) == 0;
	error_clear(&ignore);
	if (!reachable)
		return 0;
	d->session_close(c);
	dryrun_opts g = {
	    .sc = o->sc,
	    .url = job->target_url,
	    .on = job->target_shown,
	    .cfg = o->cfg,
	    .source_url = o->source_url,
	    .guard_what = "replica",
	    .guard_why = "a replica replaces what its database holds",
	};
	return dryrun_guard(&g, e);
}

static int target_open(const replica_opts *o, replica_job *job,
		       replica_copy *copy, error *e)
{
	if (!strcmp(o->into, "dev")) {
		/* The copy belongs to a least-privileged loader, as every
		 * scratch load does: the dry run of ci pr then runs a
		 * branch's plan there without the server's superuser. */
		if (source_sandbox_empty(o->sc, "replica --into dev", true,
					 &copy->sb, e) < 0)
			return -1;
		copy->url = xstrdup(source_sandbox_url(copy->sb));
		job->admin_url = source_sandbox_admin_url(copy->sb);
		job->loader = source_sandbox_loader(copy->sb);
		job->scratch = true;
		job->target_shown = "dev";
	} else {
		if (source_resolve_url(o->into, &copy->url, e) < 0)
			return -1;
		char *shown = source_spec_redact(o->sc->dialect, o->into);
		job->target_shown = arena_strdup(&job->arena, shown);
		free(shown);
	}
	job->target_url = copy->url;
	return job->scratch ? 0 : guard(o, job, e);
}

/* --- The summary --- */

static json_t *summary_of(const replica_job *job, json_t *warnings)
{
	json_t *tables = json_array(), *masked = json_array();
	for (int i = 0; i < job->ntables; i++) {
		const replica_table *t = &job->tables[i];
		json_t *cols = json_object();
		for (int j = 0; j < t->ncols; j++) {
			const replica_column *c = &t->cols[j];
			if (c->mask == REPLICA_MASK_NONE)
				continue;
			json_object_set_new(
			    cols, c->col->name,
			    json_string(replica_mask_name(c->mask)));
			json_array_append_new(
			    masked, json_pack("{s:s++++,s:s,s:s}", "column",
					      t->t->schema, ".", t->t->name,
					      ".", c->col->name, "mask",
					      replica_mask_name(c->mask), "why",
					      c->why));
		}
		json_t *row = json_pack(
		    "{s:s++,s:I,s:I,s:I,s:f,s:o}", "table", t->t->schema, ".",
		    t->t->name, "source_rows", (json_int_t)t->source_rows,
		    "source_bytes", (json_int_t)t->source_bytes, "rows",
		    (json_int_t)t->rows, "ms", t->ms, "masks", cols);
		json_object_set_new(row, "whole",
				    t->whole ? json_string(t->whole_why)
					     : json_null());
		json_array_append_new(tables, row);
	}
	return json_pack(
	    "{s:s,s:s,s:s,s:i,s:s,s:I,s:I,s:f,s:o,s:o,s:O}", "environment",
	    job->env, "source", job->source_shown, "into", job->target_shown,
	    "sample_pct", job->sample_pct, "fingerprint", job->fingerprint,
	    "rows", (json_int_t)job->rows, "bytes", (json_int_t)job->bytes,
	    "seconds", job->ms / 1000.0, "tables", tables, "masked", masked,
	    "warnings", warnings);
}

/* --- Making the copy --- */

static int load_source(const replica_opts *o, replica_job *job, model **src,
		       char **fp, error *e)
{
	const dialect *d = o->sc->dialect;
	model *empty = model_new();
	arena a = ARENA_INIT;
	char *f = NULL;
	int ret = -1;
	*src = model_new();
	if (d->introspect(*src, o->source_url, e) < 0) {
		error_prefix(e, "replica: reading %s", job->source_shown);
		goto out;
	}
	model_sort(*src);
	if (plan_fingerprint(d, *src, &a, &f, e) < 0)
		goto out;
	*fp = xstrdup(f);
	job->source = *src;
	job->fingerprint = *fp;
	ret = d->diff(empty, *src, &job->schema, e);
out:
	arena_free(&a);
	model_free(empty);
	return ret;
}

/* The copy's schema is the source's, by fingerprint. */
static int verify(const replica_job *job, error *e)
{
	char *fp = NULL;
	if (dryrun_fingerprint(job->d, job->target_url, &fp, e) < 0)
		return -1;
	int ret = 0;
	if (strcmp(fp, job->fingerprint))
		ret = error_set(e, EXIT_DB,
				"replica: the copy's schema is not the "
				"source's (fingerprint %.19s, the source's "
				"%.19s); compare them with git schemig diff",
				fp, job->fingerprint);
	free(fp);
	return ret;
}

int replica_make(const replica_opts *o, replica_copy **out, json_t **summary,
		 error *e)
{
	const dialect *d = o->sc->dialect;
	replica_job job;
	model *src = NULL;
	char *fp = NULL, *shown = d->redact_url(o->source_url);
	json_t *warnings = json_array();
	replica_copy *copy = xcalloc(1, sizeof(*copy));
	int ret = -1;

	*out = NULL;
	*summary = NULL;
	memset(&job, 0, sizeof(job));
	diff_result_init(&job.schema);
	job.d = d;
	job.source_url = o->source_url;
	job.source_shown = shown;
	job.env = o->env;
	job.sample_pct = o->sample_pct;
	job.refresh = o->refresh;
	job.progress = o->progress;
	if (!d->replica_fill) {
		error_set(e, EXIT_USAGE,
			  "replica: the %s dialect makes no replicas yet",
			  d->name);
		goto out;
	}
	if (load_source(o, &job, &src, &fp, e) < 0)
		goto out;
	replica_job_tables(&job);
	if (replica_masks_decide(&job, o->cfg, warnings, e) < 0)
		goto out;
	for (size_t i = 0; i < json_array_size(warnings); i++)
		fprintf(stderr, "warning: %s\n",
			json_string_value(json_array_get(warnings, i)));
	if (target_open(o, &job, copy, e) < 0)
		goto out;
	if (d->replica_fill(&job, e) < 0 || verify(&job, e) < 0)
		goto out;
	*summary = summary_of(&job, warnings);
	*out = copy;
	copy = NULL;
	ret = 0;
out:
	if (ret < 0 && d->scrub_secrets) {
		d->scrub_secrets(e, o->source_url);
		if (copy->url)
			d->scrub_secrets(e, copy->url);
	}
	replica_copy_release(copy);
	json_decref(warnings);
	diff_result_release(&job.schema);
	arena_free(&job.arena);
	model_free(src);
	free(fp);
	free(shown);
	return ret;
}

/* --- Text --- */

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

void replica_format_text(const json_t *s, strbuf *out)
{
	long long pct = num(s, "sample_pct");
	strbuf_addf(out, "Replica of %s (%s) into %s: ",
		    json_string_value(json_object_get(s, "environment")),
		    json_string_value(json_object_get(s, "source")),
		    json_string_value(json_object_get(s, "into")));
	if (pct < 100)
		strbuf_addf(out, "a %lld %% sample, ", pct);
	else
		strbuf_adds(out, "every row, ");
	strbuf_add_count(out, num(s, "rows"));
	strbuf_addf(out,
		    " rows in %.1f s; schema fingerprint %.19s (the "
		    "source's)\n\n",
		    json_real_value(json_object_get(s, "seconds")),
		    json_string_value(json_object_get(s, "fingerprint")));
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(s, "tables"), i, t)
	{
		long long sr = num(t, "source_rows");
		strbuf_addf(out, "  %-40s ",
			    json_string_value(json_object_get(t, "table")));
		strbuf_add_count(out, num(t, "rows"));
		strbuf_adds(out, " of ");
		if (sr >= 0)
			strbuf_add_count(out, sr);
		else
			strbuf_adds(out, "?");
		strbuf_adds(out, " rows");
		const char *whole =
		    json_string_value(json_object_get(t, "whole"));
		if (whole)
			strbuf_addf(out, " (whole: %s)", whole);
		strbuf_addch(out, '\n');
	}
	json_t *m;
	if (json_array_size(json_object_get(s, "masked")))
		strbuf_adds(out, "\nMasked:\n");
	json_array_foreach(json_object_get(s, "masked"), i, m)
	{
		strbuf_addf(out, "  %-40s %-10s %s\n",
			    json_string_value(json_object_get(m, "column")),
			    json_string_value(json_object_get(m, "mask")),
			    json_string_value(json_object_get(m, "why")));
	}
	json_t *w;
	json_array_foreach(json_object_get(s, "warnings"), i, w)
	{
		strbuf_addf(out, "%swarning: %s\n", i ? "" : "\n",
			    json_string_value(w));
	}
}
