#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../git/gitsrc.h"
#include "source_internal.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

static void text_add(text_set *t, const char *name, char *text)
{
	ALLOC_GROW(t->f.items, t->f.n + 1, t->f.alloc);
	t->f.items[t->f.n].name = xstrdup(name);
	t->f.items[t->f.n].text = text;
	t->f.n++;
}

/* ---- classifying specs ---------------------------------------------- */

/* "postgres" for "postgres://...", NULL when `s` has no scheme. */
static char *url_scheme(const char *s)
{
	const char *p = s;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (p == s || strncmp(p, "://", 3))
		return NULL;
	return xstrndup(s, (size_t)(p - s));
}

/*
 * Check that `url` names a database this build can talk to. `label` is
 * what messages call it: the URL itself is never echoed, since it may
 * hold a password (or, for env:NAME, be a secret altogether).
 */
static int check_url(const char *url, const char *label, error *e)
{
	char *scheme = url_scheme(url);
	strbuf forms = STRBUF_INIT;
	int ret = 0;
	/* The schemes are the dialects' own: whichever claims it talks to
	 * it; the messages name what they all accept. */
	dialect_add_url_forms(&forms);
	if (!scheme) {
		ret = error_set(e, EXIT_USAGE,
				"%s does not hold a database URL (%s...)",
				label ? label : "the source", forms.buf);
	} else if (dialect_for_url(url)) {
		ret = 0;
	} else {
		const char *dialect = dialect_planned(scheme);
		if (dialect)
			ret = error_set(e, EXIT_USAGE,
					"dialect %s is not supported yet",
					dialect);
		else
			ret = error_set(e, EXIT_USAGE,
					"unknown URL scheme '%s://'%s%s (use "
					"%s)",
					scheme, label ? " in " : "",
					label ? label : "", forms.buf);
	}
	strbuf_release(&forms);
	free(scheme);
	return ret;
}

/* The URL held in environment variable NAME; never printed. */
static int env_url(const char *name, const char **url, error *e)
{
	if (!*name)
		return error_set(e, EXIT_USAGE,
				 "env: needs a variable name (env:NAME)");
	*url = getenv(name);
	if (!*url || !**url)
		return error_set(e, EXIT_USAGE,
				 "environment variable %s is not set (source "
				 "env:%s)",
				 name, name);
	strbuf label = STRBUF_INIT;
	strbuf_addf(&label, "environment variable %s", name);
	int ret = check_url(*url, label.buf, e);
	strbuf_release(&label);
	return ret;
}

int source_resolve_url(const char *spec, char **url, error *e)
{
	const char *u = spec;
	*url = NULL;
	if (!strncmp(spec, "env:", 4)) {
		if (env_url(spec + 4, &u, e) < 0)
			return -1;
	} else if (check_url(spec, NULL, e) < 0) {
		return -1;
	}
	*url = xstrdup(u);
	return 0;
}

char *source_spec_redact(const dialect *d, const char *spec)
{
	static const char *const plain[] = {"env:", "git:", "file:", NULL};
	if (!spec)
		return NULL;
	for (int i = 0; plain[i]; i++)
		if (!strncmp(spec, plain[i], strlen(plain[i])))
			return xstrdup(spec);
	/* Anything that could be a connection string (a scheme, a key=value,
	 * a user info) goes through the dialect, even a malformed one. */
	if (!strcmp(spec, "dev") || !spec[strcspn(spec, ":=@")])
		return xstrdup(spec);
	if (d && d->redact_url)
		return d->redact_url(spec);
	return xstrdup("<connection string>");
}

int source_kind_of(const char *spec, enum source_kind *kind, error *e)
{
	if (!spec || !*spec)
		return error_set(e, EXIT_USAGE, "empty source");
	if (!strcmp(spec, "dev")) {
		*kind = SOURCE_LIVE;
		return 0;
	}
	char *scheme = url_scheme(spec);
	bool is_url = scheme != NULL;
	free(scheme);
	if (!strncmp(spec, "env:", 4) || is_url) {
		char *url;
		if (source_resolve_url(spec, &url, e) < 0)
			return -1;
		free(url);
		*kind = SOURCE_LIVE;
		return 0;
	}
	if (!strncmp(spec, "git:", 4) && !spec[4])
		return error_set(e, EXIT_USAGE,
				 "git: needs a revision (git:REV or "
				 "git:REV:PATH)");
	*kind = SOURCE_TEXT;
	return 0;
}

/* ---- reading DDL text ----------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_sql_file(const char *dir, const char *name)
{
	size_t n = strlen(name);
	if (n <= 4 || strcmp(name + n - 4, ".sql") || name[0] == '.')
		return false;
	strbuf p = STRBUF_INIT;
	struct stat st;
	strbuf_addf(&p, "%s/%s", dir, name);
	bool ok = stat(p.buf, &st) == 0 && S_ISREG(st.st_mode);
	strbuf_release(&p);
	return ok;
}

/* A directory: its .sql files (not recursing), in byte order of names. */
static int read_dir(const char *dir, text_set *t, error *e)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return error_set(e, EXIT_USAGE, "cannot read '%s': %s", dir,
				 strerror(errno));
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	while ((de = readdir(dh)))
		if (is_sql_file(dir, de->d_name)) {
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = xstrdup(de->d_name);
		}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);

	int ret =
	    n ? 0 : error_set(e, EXIT_USAGE, "'%s' holds no .sql files", dir);
	for (size_t i = 0; i < n; i++) {
		strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		if (!ret && strbuf_read_file(&text, path.buf) < 0)
			ret = error_set(e, EXIT_USAGE, "cannot read '%s': %s",
					path.buf, strerror(errno));
		else if (!ret)
			text_add(t, path.buf, strbuf_detach(&text));
		strbuf_release(&text);
		strbuf_release(&path);
		free(names[i]);
	}
	free(names);
	return ret;
}

static int read_path(const char *path, text_set *t, error *e)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return error_set(e, EXIT_USAGE, "cannot read '%s': %s", path,
				 strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		/* "db/" and "db" name the same files in messages. */
		char *dir = xstrdup(path);
		size_t n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = '\0';
		int ret = read_dir(dir, t, e);
		free(dir);
		return ret;
	}
	strbuf text = STRBUF_INIT;
	if (strbuf_read_file(&text, path) < 0) {
		int err = errno;
		strbuf_release(&text);
		return error_set(e, EXIT_USAGE, "cannot read '%s': %s", path,
				 strerror(err));
	}
	text_add(t, path, strbuf_detach(&text));
	return 0;
}

/* "git:REV" or "git:REV:PATH"; a revision never holds ':'. */
static int read_git(const source_ctx *ctx, const char *spec, text_set *t,
		    error *e)
{
	const char *rest = spec + 4, *colon = strchr(rest, ':');
	char *rev =
	    colon ? xstrndup(rest, (size_t)(colon - rest)) : xstrdup(rest);
	const char *path = colon ? colon + 1 : ctx->schema_path;
	int ret;
	if (!path || !*path)
		ret = error_set(e, EXIT_USAGE,
				"%s: no path given and no schema file "
				"configured (use git:REV:PATH)",
				spec);
	else
		ret = gitsrc_read(ctx->repo_dir, rev, path, &t->f, e);
	free(rev);
	return ret;
}

int source_read_text(const source_ctx *ctx, const char *spec, text_set *t,
		     error *e)
{
	if (!strncmp(spec, "git:", 4))
		return read_git(ctx, spec, t, e);
	if (!strncmp(spec, "file:", 5))
		spec += 5;
	if (!*spec)
		return error_set(e, EXIT_USAGE, "file: needs a path");
	return read_path(spec, t, e);
}

/* ---- scratch server ------------------------------------------------ */

/*
 * The server scratch databases are made on: the configured one, else a
 * throwaway server started now (once per command). *base stays NULL,
 * without an error, when there is neither (or the dialect makes no
 * scratch databases), so that the caller can fall back to parsing.
 */
int source_scratch_base(const source_ctx *ctx, const char **base, error *e)
{
	const dialect *d = ctx->dialect;
	*base = NULL;
	if (!d->scratch_create)
		return 0;
	if (ctx->dev_url) {
		/* A scratch server of another dialect's (a machine-wide
		 * SCHEMIG_DEV_URL for PostgreSQL under --dialect mysql) can
		 * load nothing of this one's: say so rather than hand its
		 * URL to this dialect's driver. */
		const dialect *owner = dialect_for_url(ctx->dev_url);
		if (owner && owner != d)
			return error_set(
			    e, EXIT_USAGE,
			    "the scratch server (--dev-url, dev.url "
			    "or SCHEMIG_DEV_URL) is a %s server, "
			    "but the dialect is %s",
			    owner->title ? owner->title : owner->name, d->name);
		*base = ctx->dev_url;
		return 0;
	}
	if (!ctx->state || !d->server_start)
		return 0;
	if (!ctx->state->dev) {
		int avail = d->server_available(e);
		if (avail <= 0)
			return avail;
		if (source_state_start_server(ctx->state, d, e) < 0)
			return -1;
	}
	*base = source_state_server_url(ctx->state);
	return 0;
}

/* What a message says the dialect lacks when there is no server to
 * make a scratch database on. */
static void add_server_needs(strbuf *sb, const dialect *d)
{
	if (!d->scratch_create)
		strbuf_addf(sb, "scratch databases (dialect %s makes none)",
			    d->name);
	else if (d->server_start && d->server_needs)
		strbuf_adds(sb, d->server_needs);
	else
		strbuf_addf(sb, "throwaway server (dialect %s has none)",
			    d->name);
}

/* A janitor and a per-run loader role only for a server that outlives
 * us: a throwaway cluster is removed as a whole. A database that files
 * are loaded into is owned by a non-superuser loader role. */
static int scratch_new(const source_ctx *ctx, const char *base, bool load,
		       dialect_scratch **s, error *e)
{
	unsigned seq = ctx->state ? ++ctx->state->scratch_seq : 1;
	unsigned flags = (base == ctx->dev_url ? DIALECT_SCRATCH_SHARED : 0) |
			 (load ? DIALECT_SCRATCH_LOADER : 0);
	return ctx->dialect->scratch_create(base, seq, flags, s, e);
}

/* Defence in depth: no secret of `url` leaves in e's message. */
static void scrub(const source_ctx *ctx, error *e, const char *url)
{
	if (ctx->dialect->scrub_secrets && url)
		ctx->dialect->scrub_secrets(e, url);
}

/* ---- loading -------------------------------------------------------- */

/*
 * Progress for the steps that take long on big schemas, on stderr and
 * only when it is a terminal, so that piped and --format json output
 * stays clean and CI logs stay quiet.
 */
void source_progress(const char *what, const char *name)
{
	if (isatty(2))
		fprintf(stderr, "schemig: %s%s%s...\n", what, name ? " " : "",
			name ? name : "");
}

int source_load_introspect(const source_ctx *ctx, const char *url,
			   const char *label, model **out, error *e)
{
	/* A URL of another dialect's: say which, rather than let this
	 * dialect's driver fail on a string it cannot read. */
	const dialect *owner = dialect_for_url(url);
	if (owner && owner != ctx->dialect)
		return error_set(e, EXIT_USAGE,
				 "%s%sis a %s database, but the dialect is %s: "
				 "pass --dialect %s or set `dialect: %s` in "
				 ".schemig.yml",
				 label ? label : "the source", " ",
				 owner->title ? owner->title : owner->name,
				 ctx->dialect->name, owner->name, owner->name);
	model *m = model_new();
	source_progress("reading the schema:", label ? label : "live database");
	if (ctx->dialect->introspect(m, url, e) < 0) {
		scrub(ctx, e, url);
		if (label)
			error_prefix(e, "%s", label);
		model_free(m);
		return -1;
	}
	model_sort(m);
	*out = m;
	return 0;
}

/*
 * Create a scratch database on `base` and load DDL text into it. The text
 * may be hostile (a branch under review): it is loaded in a session of
 * the non-superuser loader's own, after the creator prepared what needs
 * more. Only a cluster schemig made itself gets the roles the text names:
 * creating roles on a server the user gave would outlive the run. On
 * failure nothing is left behind.
 */
int source_scratch_fill(const source_ctx *ctx, const char *base,
			const text_set *t, dialect_scratch **out, error *e)
{
	const dialect *d = ctx->dialect;
	dialect_scratch *s;
	if (scratch_new(ctx, base, true, &s, e) < 0)
		return -1;
	int ret = 0;
	/* The text is the user's: a statement it gets wrong is an input
	 * error, not a database failure. */
	int (*run)(const char *, const char *, const char *, error *) =
	    d->load_script ? d->load_script : d->exec_script;
	const char *load_url = d->scratch_load_url(s);
	scratch_target tgt = {.url = d->scratch_url(s),
			      .loader = d->scratch_loader(s),
			      .own_server = base != ctx->dev_url,
			      .search_path = ctx->search_path};
	for (int i = 0; i < t->f.n && !ret; i++) {
		char *prepared = NULL;
		if (d->prepare_scratch)
			ret = d->prepare_scratch(&tgt, t->f.items[i].text,
						 t->f.items[i].name, &prepared,
						 e);
		source_progress("loading into a scratch database:",
				t->f.items[i].name);
		if (!ret)
			ret = run(load_url ? load_url : tgt.url,
				  prepared ? prepared : t->f.items[i].text,
				  t->f.items[i].name, e);
		free(prepared);
	}
	if (ret < 0) {
		scrub(ctx, e, base);
		scrub(ctx, e, load_url);
		d->scratch_drop(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* Load DDL text into a scratch database and read it back. */
static int load_normalised(const source_ctx *ctx, const char *base,
			   const text_set *t, model **out, error *e)
{
	dialect_scratch *s;
	if (source_scratch_fill(ctx, base, t, &s, e) < 0)
		return -1;
	int ret = source_load_introspect(ctx, ctx->dialect->scratch_url(s),
					 "scratch database", out, e);
	ctx->dialect->scratch_drop(s);
	return ret;
}

struct source_sandbox {
	const dialect *d; /* whose scratch database `s` is */
	dialect_scratch *s;
};

/* Into a new scratch database: `t`, named `what` in messages. */
static int sandbox_fill(const source_ctx *ctx, const char *what,
			const text_set *t, source_sandbox **out, error *e)
{
	const char *base = NULL;
	int ret = source_scratch_base(ctx, &base, e);
	if (!ret && !base) {
		strbuf needs = STRBUF_INIT;
		add_server_needs(&needs, ctx->dialect);
		ret = error_set(e, EXIT_USAGE, "%s: no %s to load it into",
				what, needs.buf);
		strbuf_release(&needs);
	}
	if (!ret) {
		source_sandbox *sb = xcalloc(1, sizeof(*sb));
		sb->d = ctx->dialect;
		ret = source_scratch_fill(ctx, base, t, &sb->s, e);
		if (ret < 0)
			free(sb);
		else
			*out = sb;
	}
	return ret;
}

int source_sandbox_empty(const source_ctx *ctx, const char *what, bool loader,
			 source_sandbox **out, error *e)
{
	const char *base = NULL;
	*out = NULL;
	int ret = source_scratch_base(ctx, &base, e);
	if (!ret && !base) {
		strbuf needs = STRBUF_INIT;
		add_server_needs(&needs, ctx->dialect);
		ret = error_set(e, EXIT_USAGE, "%s: no %s to make it on", what,
				needs.buf);
		strbuf_release(&needs);
	}
	if (ret < 0)
		return -1;
	source_sandbox *sb = xcalloc(1, sizeof(*sb));
	sb->d = ctx->dialect;
	if (scratch_new(ctx, base, loader, &sb->s, e) < 0) {
		scrub(ctx, e, base);
		free(sb);
		return -1;
	}
	*out = sb;
	return 0;
}

int source_sandbox_load(const source_ctx *ctx, const char *spec,
			source_sandbox **out, error *e)
{
	text_set t = {0};
	*out = NULL;
	int ret = source_read_text(ctx, spec, &t, e);
	if (!ret)
		ret = sandbox_fill(ctx, spec, &t, out, e);
	gitsrc_files_release(&t.f);
	return ret;
}

int source_sandbox_load_sql(const source_ctx *ctx, const char *name,
			    const char *sql, source_sandbox **out, error *e)
{
	text_set t = {0};
	*out = NULL;
	text_add(&t, name, xstrdup(sql));
	int ret = sandbox_fill(ctx, name, &t, out, e);
	gitsrc_files_release(&t.f);
	return ret;
}

const char *source_sandbox_url(const source_sandbox *sb)
{
	const char *load_url = sb->d->scratch_load_url(sb->s);
	return load_url ? load_url : sb->d->scratch_url(sb->s);
}

const char *source_sandbox_admin_url(const source_sandbox *sb)
{
	return sb->d->scratch_url(sb->s);
}

const char *source_sandbox_loader(const source_sandbox *sb)
{
	return sb->d->scratch_loader(sb->s);
}

void source_sandbox_drop(source_sandbox *sb)
{
	if (!sb)
		return;
	sb->d->scratch_drop(sb->s);
	free(sb);
}

int source_load_parsed(const source_ctx *ctx, const text_set *t, model **out,
		       error *e)
{
	/* The parser puts unqualified names in public: with another path
	 * it would describe other tables than the server would make. */
	const char *const *sp = ctx->search_path;
	if (!source_search_path_is_default(sp))
		return error_set(e, EXIT_USAGE,
				 "search_path %s%s needs a scratch server to "
				 "load the schema file (--dev-url, dev.url, "
				 "SCHEMIG_DEV_URL, or the server binaries); "
				 "without one unqualified names can only be "
				 "read as public",
				 sp[0], sp[1] ? ", ..." : "");
	model *m = model_new();
	for (int i = 0; i < t->f.n; i++)
		if (ctx->dialect->parse(m, t->f.items[i].text,
					t->f.items[i].name, e) < 0) {
			model_free(m);
			return -1;
		}
	model_sort(m);
	*out = m;
	return 0;
}

static int load_text(const source_ctx *ctx, const char *spec, model **out,
		     error *e)
{
	text_set t = {0};
	const char *base = NULL;
	int ret = source_read_text(ctx, spec, &t, e);
	if (!ret && ctx->normalise)
		ret = source_scratch_base(ctx, &base, e);
	if (!ret && ctx->normalise && !base)
		warn("no scratch %s (no --dev-url and no server "
		     "binaries): parsing %s without a server, so the "
		     "comparison may show spelling-only differences",
		     ctx->dialect->title ? ctx->dialect->title : "server",
		     spec);
	if (!ret)
		ret = base ? load_normalised(ctx, base, &t, out, e)
			   : source_load_parsed(ctx, &t, out, e);
	gitsrc_files_release(&t.f);
	return ret;
}

/* `dev`: an empty scratch database, which introspects to an empty
 * model (what a migration from scratch starts from). */
static int load_dev(const source_ctx *ctx, model **out, error *e)
{
	const char *base;
	dialect_scratch *s;
	if (source_scratch_base(ctx, &base, e) < 0)
		return -1;
	if (!base) {
		strbuf needs = STRBUF_INIT;
		add_server_needs(&needs, ctx->dialect);
		error_set(e, EXIT_USAGE,
			  "source dev needs %s or a scratch server (--dev-url, "
			  "dev.url, SCHEMIG_DEV_URL)",
			  needs.buf);
		strbuf_release(&needs);
		return -1;
	}
	if (scratch_new(ctx, base, false, &s, e) < 0)
		return -1;
	int ret = source_load_introspect(ctx, ctx->dialect->scratch_url(s),
					 "dev", out, e);
	ctx->dialect->scratch_drop(s);
	return ret;
}

static int load_one(const source_ctx *ctx, const char *spec, model **out,
		    error *e)
{
	enum source_kind kind;
	*out = NULL;
	if (source_kind_of(spec, &kind, e) < 0)
		return -1;
	if (kind == SOURCE_TEXT)
		return load_text(ctx, spec, out, e);
	if (!strcmp(spec, "dev"))
		return load_dev(ctx, out, e);

	char *url;
	if (source_resolve_url(spec, &url, e) < 0)
		return -1;
	/* The dialect's message names the (redacted) URL; say which
	 * variable it came from too. */
	const char *label = strncmp(spec, "env:", 4) ? NULL : spec;
	int ret = source_load_introspect(ctx, url, label, out, e);
	free(url);
	return ret;
}

/*
 * The migration frameworks' own bookkeeping tables are not part of the
 * schema a team describes: a plan must never drop Alembic's, Knex's or
 * Flyway's history from under them (nor create it from a pg_dump file).
 */
static const char *const framework_tables[] = {
    "alembic_version",
    "knex_migrations",
    "knex_migrations_lock",
    "flyway_schema_history",
    NULL,
};

void source_drop_framework_tables(model *m)
{
	model_drop_tables(m, framework_tables);
}

int source_load(const source_ctx *ctx, const char *spec, model **out, error *e)
{
	if (load_one(ctx, spec, out, e) < 0)
		return -1;
	source_drop_framework_tables(*out);
	return 0;
}

/* One live side, one text with the default search path: the partial
 * route, else the whole text against the live model it may have read. */
static int load_pair_partial(const source_ctx *c, const char *from,
			     const char *to, bool live_from, model **from_out,
			     model **to_out, error *e)
{
	model **live = live_from ? from_out : to_out;
	model **text = live_from ? to_out : from_out;
	if (!source_load_partial(c, live_from ? from : to,
				 live_from ? to : from, live, text))
		return 0;
	if (!*live && source_load(c, live_from ? from : to, live, e) < 0)
		return -1;
	if (source_load(c, live_from ? to : from, text, e) < 0) {
		model_free(*live);
		*live = NULL;
		return -1;
	}
	return 0;
}

int source_load_pair(const source_ctx *ctx, const char *from, const char *to,
		     model **from_out, model **to_out, error *e)
{
	enum source_kind kf, kt;
	*from_out = *to_out = NULL;
	if (source_kind_of(from, &kf, e) < 0 || source_kind_of(to, &kt, e) < 0)
		return -1;
	source_ctx c = *ctx;
	/* A configured search path other than public alone can only be
	 * followed by a server: two files are loaded into scratch databases
	 * then too. */
	c.normalise = !ctx->parse_only &&
		      (ctx->normalise || kf != kt ||
		       !source_search_path_is_default(ctx->search_path));
	char **live_path = NULL;
	if (kf != kt && source_search_path(ctx, kf == SOURCE_LIVE ? from : to,
					   &live_path, e) < 0)
		return -1;
	if (live_path)
		c.search_path = (const char *const *)live_path;
	int ret;
	if (c.normalise && kf != kt &&
	    source_search_path_is_default(c.search_path)) {
		ret = load_pair_partial(&c, from, to, kf == SOURCE_LIVE,
					from_out, to_out, e);
	} else {
		ret = source_load(&c, from, from_out, e);
		if (!ret && (ret = source_load(&c, to, to_out, e)) < 0) {
			model_free(*from_out);
			*from_out = NULL;
		}
	}
	dialect_free_names(live_path);
	return ret;
}

int source_state_start_server(source_state *st, const dialect *d, error *e)
{
	if (!d->server_start)
		return error_set(e, EXIT_USAGE,
				 "dialect %s has no throwaway servers",
				 d->name);
	/* Published before the server exists, so that a signal handler
	 * that reaches st->dev knows how to stop it. */
	st->dev_dialect = d;
	return d->server_start(&st->dev, e);
}

const char *source_state_server_url(const source_state *st)
{
	return st->dev ? st->dev_dialect->server_url(st->dev) : NULL;
}

void source_state_release(source_state *st)
{
	if (!st || !st->dev)
		return;
	/* Stopped while a signal handler can still reach it, then
	 * unpublished, then freed. */
	dialect_server *d = st->dev;
	st->dev_dialect->server_abort(d);
	st->dev = NULL;
	st->dev_dialect->server_stop(d);
}

void source_state_abort(source_state *st)
{
	if (st && st->dev)
		st->dev_dialect->server_abort(st->dev);
}
