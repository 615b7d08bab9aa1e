/* The plan's data: building it step by step, hazard names, the verdict
 * and the id (plan_finish), and schema fingerprints. */
#include "plan.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "not_null", "unique", "foreign_key", "check", "narrow", "rows", "sequence",
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
	s->rebuild_online_ms = 1000;
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
	return s ? arena_strdup(&p->arena, s) : NULL;
}

plan_draft *plan_draft_get(plan *p)
{
	if (!p->draft)
		p->draft = arena_alloc(&p->arena, sizeof(*p->draft));
	return p->draft;
}

void plan_draft_add_rename(plan *p, const char *from, const char *to,
			   const char *reason)
{
	plan_draft *d = plan_draft_get(p);
	plan_draft_rename *r =
	    ARENA_PUSH(&p->arena, d->renames, d->nrenames, d->crenames);
	r->from = plan_str(p, from);
	r->to = plan_str(p, to);
	r->reason = plan_str(p, reason);
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

int plan_fingerprint(const struct dialect *d, const model *m, arena *a,
		     char **out, error *e)
{
	strbuf canon = STRBUF_INIT;
	char hex[65];

	/* The model, not the SQL a dialect would write for it: a live
	 * database and its DDL file give the same model, and rendering
	 * may change between versions of schemig without the schema
	 * changing. Dialect-specific fields are part of the model, so the
	 * dialect has nothing to add. */
	(void)d;
	(void)e;
	model_canonical(m, &canon);
	plan_sha256_hex(canon.buf, canon.len, hex);
	*out = arena_sprintf(a, "sha256:%s", hex);
	strbuf_release(&canon);
	return 0;
}
