/* The plan's data: building it step by step, hazard names, the verdict
 * and the id (plan_finish), and schema fingerprints. */
#include "plan.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../schema/diff.h"
#include "../util/xalloc.h"

/* In bit order: a name's index is its bit's index. These names are part
 * of the plan file format and of policy files; never rename one. */
static const char *const hazard_names[PLAN_HAZARD_COUNT] = {
    "access_exclusive_lock",
    "blocks_writes",
    "table_rewrite",
    "table_scan",
    "index_build",
    "backfill",
    "deletes_data",
    "not_transactional",
    "irreversible",
    "breaks_old_code",
    "will_fail",
};

const char *plan_hazard_name(int bit_index)
{
	if (bit_index < 0 || bit_index >= PLAN_HAZARD_COUNT)
		return NULL;
	return hazard_names[bit_index];
}

unsigned plan_hazard_from_name(const char *name)
{
	if (!name)
		return 0;
	for (int i = 0; i < PLAN_HAZARD_COUNT; i++)
		if (!strcmp(hazard_names[i], name))
			return 1u << i;
	return 0;
}

static const char *const check_kind_names[] = {
    "not_null", "unique", "foreign_key", "check", "narrow", "rows",
};
#define CHECK_KIND_COUNT                                                       \
	((int)(sizeof(check_kind_names) / sizeof(check_kind_names[0])))

const char *plan_check_kind_name(enum plan_check_kind kind)
{
	if ((int)kind < 0 || (int)kind >= CHECK_KIND_COUNT)
		return NULL;
	return check_kind_names[kind];
}

int plan_check_kind_from_name(const char *name, enum plan_check_kind *out)
{
	for (int i = 0; name && i < CHECK_KIND_COUNT; i++)
		if (!strcmp(check_kind_names[i], name)) {
			*out = (enum plan_check_kind)i;
			return 0;
		}
	return -1;
}

void plan_settings_init(plan_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->lock_timeout_ms = 2000;
	s->statement_timeout_ms = 10000;
	s->batch_size = 0;
	s->batch_pause_ms = 50;
	s->allow_rewrite = false;
	s->defer_drops = false;
	s->data_checks = true;
	s->server_version = 0;
}

void plan_init(plan *p)
{
	memset(p, 0, sizeof(*p));
	p->format = PLAN_FORMAT_VERSION;
	plan_settings_init(&p->settings);
	p->compatible = true;
}

void plan_release(plan *p)
{
	arena_free(&p->arena);
	memset(p, 0, sizeof(*p));
}

char *plan_str(plan *p, const char *s)
{
	return arena_strdup(&p->arena, s);
}

plan_step *plan_add_step(plan *p, const char *kind, const char *object,
			 const char *table, const char *forward)
{
	plan_step *s = ARENA_PUSH(&p->arena, p->steps, p->nsteps, p->csteps);
	s->n = p->nsteps;
	s->kind = plan_str(p, kind);
	s->object = plan_str(p, object);
	s->table = plan_str(p, table);
	s->forward = plan_str(p, forward);
	s->transactional = true;
	s->rollback_transactional = true;
	s->lock = plan_str(p, "none");
	s->est_rows = -1;
	s->est_lock_ms = -1;
	s->drafted_by = plan_str(p, "engine");
	return s;
}

void plan_step_set_rollback(plan *p, plan_step *s, const char *sql)
{
	s->rollback = plan_str(p, sql);
	s->no_rollback = NULL;
}

void plan_step_set_no_rollback(plan *p, plan_step *s, const char *why)
{
	s->rollback = NULL;
	s->no_rollback = plan_str(p, why);
}

void plan_add_reason(plan *p, int step, const char *object, const char *fmt,
		     ...)
{
	plan_reason *r =
	    ARENA_PUSH(&p->arena, p->reasons, p->nreasons, p->creasons);
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->step = step;
	r->object = plan_str(p, object);
	r->reason = plan_str(p, strbuf_str(&sb));
	strbuf_release(&sb);
	p->compatible = false;
}

plan_check *plan_add_check(plan *p, enum plan_check_kind kind, int step,
			   const char *schema, const char *table)
{
	plan_check *c =
	    ARENA_PUSH(&p->arena, p->checks, p->nchecks, p->cchecks);
	c->kind = kind;
	c->step = step;
	c->schema = plan_str(p, schema);
	c->table = plan_str(p, table);
	return c;
}

void plan_check_add_column(plan *p, plan_check *c, const char *column)
{
	*ARENA_PUSH(&p->arena, c->columns, c->ncolumns, c->ccolumns) =
	    plan_str(p, column);
}

void plan_check_add_ref_column(plan *p, plan_check *c, const char *column)
{
	*ARENA_PUSH(&p->arena, c->ref_columns, c->nref_columns,
		    c->cref_columns) = plan_str(p, column);
}

plan_rename *plan_add_rename(plan *p, const char *schema, const char *table,
			     const char *column, const char *new_name)
{
	plan_rename *r =
	    ARENA_PUSH(&p->arena, p->renames, p->nrenames, p->crenames);
	r->schema = plan_str(p, schema);
	r->table = plan_str(p, table);
	r->column = plan_str(p, column);
	r->new_name = plan_str(p, new_name);
	return r;
}

void plan_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	/* EVP_Digest only fails on allocation failure, which xalloc treats
	 * as fatal elsewhere too; an empty id then refuses to verify. */
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != 32) {
		out[0] = '\0';
		return;
	}
	for (unsigned i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

int plan_finish(plan *p, error *e)
{
	for (int i = 0; i < p->nsteps; i++) {
		plan_step *s = &p->steps[i];
		if (s->n != i + 1)
			return error_set(e, EXIT_USAGE,
					 "plan step %d is numbered %d", i + 1,
					 s->n);
		if (!s->kind || !s->forward)
			return error_set(e, EXIT_USAGE,
					 "plan step %d has no %s", i + 1,
					 s->kind ? "forward SQL" : "kind");
	}
	p->compatible = p->nreasons == 0;
	p->will_fail = false;
	/* A check that found rejecting rows marks the step it guards, so
	 * that policies denying "will_fail" see it on the step itself. */
	for (int i = 0; i < p->nchecks; i++) {
		const plan_check *c = &p->checks[i];
		if (!c->ran || c->failing <= 0)
			continue;
		p->will_fail = true;
		if (c->step >= 1 && c->step <= p->nsteps)
			p->steps[c->step - 1].hazards |= HZ_WILL_FAIL;
	}
	return plan_compute_id(p, p->id, e);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A CREATE TABLE with its column lines sorted. The differ matches columns
 * by name, so column order is not part of a schema's identity; without
 * this, expand and contract (which moves a column to the end) and its
 * rollback would leave a database whose fingerprint no longer matches
 * although no diff remains. Column lines are the tab-indented lines that
 * are not table constraints; trailing commas are dropped so that which
 * column comes last does not matter either.
 */
static void add_table_unordered(strbuf *out, const char *sql)
{
	char *copy = xstrdup(sql), *save = NULL;
	char **cols = NULL;
	size_t n = 0, cap = 0;
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == ',')
			line[--l] = '\0';
		if (line[0] == '\t' && strncmp(line, "\tCONSTRAINT ", 12)) {
			ALLOC_GROW(cols, n + 1, cap);
			cols[n++] = line;
		} else {
			strbuf_adds(out, line);
			strbuf_addch(out, '\n');
		}
	}
	if (n) /* a partition has no column lines: no array at all */
		qsort(cols, n, sizeof(*cols), cmp_line);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s\n", cols[i]);
	free(cols);
	free(copy);
}

int plan_fingerprint(const struct dialect *d, const model *m, arena *a,
		     char **out, error *e)
{
	diff_result r;
	strbuf sql = STRBUF_INIT;
	char hex[65];
	model *empty = model_new();
	int ret = -1;

	diff_result_init(&r);
	/* The script that builds the schema from nothing is the same for
	 * a live database and for its DDL file, which is the point. */
	if (d->diff(empty, m, &r, e) < 0) {
		error_prefix(e, "fingerprint");
		goto out;
	}
	for (int i = 0; i < r.nstmts; i++) {
		if (!strcmp(r.stmts[i].kind, "create_table"))
			add_table_unordered(&sql, r.stmts[i].sql);
		else
			strbuf_adds(&sql, r.stmts[i].sql);
		strbuf_adds(&sql, ";\n");
	}
	plan_sha256_hex(sql.buf ? sql.buf : "", sql.len, hex);
	*out = arena_sprintf(a, "sha256:%s", hex);
	ret = 0;
out:
	strbuf_release(&sql);
	diff_result_release(&r);
	model_free(empty);
	return ret;
}
