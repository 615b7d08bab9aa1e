/*
 * The partial route: DDL text against a live database, exact without
 * loading the whole text (schema/subset.h says why and how). It gives up,
 * for the whole-file route, wherever it cannot be sure: the text does not
 * parse, the parse holds what a partial load cannot reproduce, or the
 * part to load does not load. The whole-file route then reports on the
 * text as it always did.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../schema/subset.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "source_internal.h"

/* The live side is read on a thread of its own while the text is parsed
 * and the scratch server started: reading a catalog mostly waits for the
 * server, parsing is all CPU. */
typedef struct live_job {
	const source_ctx *ctx;
	const char *spec;
	model *m;
	error e;
	int ret;
} live_job;

static void *live_read(void *arg)
{
	live_job *j = arg;
	j->ret = source_load(j->ctx, j->spec, &j->m, &j->e);
	return NULL;
}

/* The part to load, rendered as DDL by the dialect's differ from an
 * empty model, into `t` under `name` (what messages call it). */
static int render_part(const dialect *d, const model *part, const char *name,
		       text_set *t, error *e)
{
	model *empty = model_new();
	diff_result dr;
	diff_result_init(&dr);
	int ret = d->diff(empty, part, &dr, e);
	if (!ret) {
		strbuf sql = STRBUF_INIT;
		diff_result_format_sql(&dr, &sql);
		ALLOC_GROW(t->f.items, t->f.n + 1, t->f.alloc);
		t->f.items[t->f.n].name = xstrdup(name);
		t->f.items[t->f.n].text = strbuf_detach(&sql);
		t->f.n++;
	}
	diff_result_release(&dr);
	model_free(empty);
	return ret;
}

/*
 * Load the part of `parsed` that `s` selects into a scratch database on
 * `base`, read it back and complete it with `live`'s clean relations.
 * 1 when the part does not render or load: the caller falls back.
 */
static int load_part(const source_ctx *ctx, const char *base, subset *s,
		     const model *live, const model *parsed, const char *spec,
		     model **out)
{
	const dialect *d = ctx->dialect;
	model *part = subset_model(s, live, parsed);
	strbuf what = STRBUF_INIT;
	strbuf_addf(&what,
		    "loading into a scratch database: the part of %s that "
		    "differs (%d tables, %d views)",
		    spec, part->ntables, part->nviews);
	source_progress(what.buf, NULL);
	strbuf_release(&what);
	text_set t = {0};
	error le = ERROR_INIT;
	dialect_scratch *sc = NULL;
	model *m = NULL;
	strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "%s (the part that differs)", spec);

	int ret = render_part(d, part, name.buf, &t, &le);
	model_free(part);

	if (!ret)
		ret = source_scratch_fill(ctx, base, &t, &sc, &le);
	if (!ret) {
		ret = source_load_introspect(ctx, d->scratch_url(sc),
					     "scratch database", &m, &le);
		d->scratch_drop(sc);
	}
	if (!ret) {
		subset_merge(s, m, live);
		source_drop_framework_tables(m);
		*out = m;
	} else {
		/* Said, not failed: the whole file is loaded next and
		 * reports on itself. */
		source_progress("the part that differs did not load; loading "
				"the whole file instead:",
				le.msg);
	}
	error_clear(&le);
	strbuf_release(&name);
	gitsrc_files_release(&t.f);
	return ret ? 1 : 0;
}

/*
 * Read the live side (on a thread) while parsing the text and, with
 * `start_server`, starting the scratch server: the three overlap.
 */
int source_load_live_parsed(const source_ctx *ctx, const char *live_spec,
			    const char *text_spec, bool start_server,
			    model **live_out, model **parsed_out, error *e)
{
	*live_out = *parsed_out = NULL;
	text_set t = {0};
	if (source_read_text(ctx, text_spec, &t, e) < 0)
		return -1;
	live_job j = {.ctx = ctx, .spec = live_spec, .e = ERROR_INIT};
	pthread_t th;
	/* `dev` is read from the scratch server itself, which only one
	 * thread may start. */
	bool threaded = strcmp(live_spec, "dev") &&
			!pthread_create(&th, NULL, live_read, &j);
	if (!threaded)
		live_read(&j);
	model *parsed = NULL;
	int ret = source_load_parsed(ctx, &t, &parsed, e);
	gitsrc_files_release(&t.f);
	/* A server that does not start now is the exact route's to
	 * report, when it needs one. */
	const char *base;
	error le = ERROR_INIT;
	if (!ret && start_server)
		source_scratch_base(ctx, &base, &le);
	error_clear(&le);
	if (threaded)
		pthread_join(th, NULL);
	if (j.ret < 0) {
		/* The live side's error comes first: it is the one that
		 * stops any route. */
		error_clear(e);
		*e = j.e;
		model_free(parsed);
		return -1;
	}
	if (ret < 0) {
		model_free(j.m);
		return -1;
	}
	source_drop_framework_tables(parsed);
	*live_out = j.m;
	*parsed_out = parsed;
	return 0;
}

int source_normalise_part(const source_ctx *ctx, const char *text_spec,
			  const model *live, const model *parsed,
			  const diff_result *dr, model **out)
{
	const char *base = NULL;
	error le = ERROR_INIT;
	subset *s = NULL;
	*out = NULL;
	/* The whole-file route on demand: to compare the two, or to rule
	 * this one out when something looks wrong. */
	const char *off = getenv("SCHEMIG_FULL_LOAD");
	if ((off && *off && strcmp(off, "0")) || !ctx->dialect->scratch_create)
		return 1;
	if (source_scratch_base(ctx, &base, &le) < 0 || !base) {
		error_clear(&le);
		return 1;
	}
	subset_select(live, parsed, dr, &s);
	if (!s)
		return 1;
	int ret = load_part(ctx, base, s, live, parsed, text_spec, out);
	subset_free(s);
	return ret;
}

int source_load_partial(const source_ctx *ctx, const char *live_spec,
			const char *text_spec, model **live_out,
			model **text_out)
{
	model *parsed = NULL;
	error le = ERROR_INIT;
	*live_out = *text_out = NULL;
	if (source_load_live_parsed(ctx, live_spec, text_spec, true, live_out,
				    &parsed, &le) < 0) {
		/* The whole-file route reads both again and reports on
		 * what failed, as it always did. */
		error_clear(&le);
		return 1;
	}
	diff_result dr;
	diff_result_init(&dr);
	int ret = 1;
	if (ctx->dialect->diff(*live_out, parsed, &dr, &le) == 0)
		ret = source_normalise_part(ctx, text_spec, *live_out, parsed,
					    &dr, text_out);
	error_clear(&le);
	diff_result_release(&dr);
	model_free(parsed);
	return ret;
}
