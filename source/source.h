/*
 * Sources: every place a schema can come from is one string (the man
 * page's SOURCES), turned into a schema model here.
 *
 *   postgres://... postgresql://...   a live database (introspected)
 *   env:NAME                          the URL held in environment variable NAME
 *   PATH, file:PATH                   a DDL file, or a directory of .sql files
 *                                     read in name order
 *   git:REV, git:REV:PATH             the schema file (or PATH) as committed at
 * REV dev                               an empty throwaway server
 *
 * Normalisation: a live database spells types and expressions the way the
 * server prints them. To compare DDL text with a live database without
 * spelling-only differences, the text is loaded into a scratch database
 * and introspected too (source_ctx.normalise). The scratch database is
 * created on the --dev-url server, or on a throwaway server of the
 * dialect's own (dialect.h's server_start), and always dropped
 * afterwards.
 */
#ifndef SCHEMIG_SOURCE_H
#define SCHEMIG_SOURCE_H

#include <stdbool.h>

#include "../dialects/dialect.h"
#include "../schema/model.h"
#include "../util/error.h"

/* What loading sources leaves behind until the command ends: the
 * throwaway cluster, started on first need and shared by both sides. */
typedef struct source_state {
	const dialect *dev_dialect; /* whose server `dev` is */
	dialect_server *dev;
	unsigned scratch_seq; /* numbers this process's scratch databases */
} source_state;

typedef struct source_ctx {
	const dialect *dialect;
	const char *repo_dir;	 /* where git: looks for the repository;
				    NULL: the current directory */
	const char *schema_path; /* the configured schema file, relative to
				    the repository root: git:REV's default */
	const char *dev_url;	 /* scratch server URL, or NULL */
	bool normalise;		 /* load DDL text into a scratch database and
				    introspect it, rather than parsing it */
	bool parse_only;	 /* never use a server for DDL text, even
				    against a live database (--parse) */
	source_state *state;	 /* NULL: never start a throwaway cluster */
	/* The schemas DDL text's unqualified names resolve through,
	 * NULL-terminated (config's search_path); NULL: when the other side
	 * of a pair is live, its connection's own path, else the server's
	 * default (public). */
	const char *const *search_path;
} source_ctx;

enum source_kind {
	SOURCE_LIVE, /* URL, env:NAME, dev */
	SOURCE_TEXT, /* file, directory, git: */
};

/* Classify a spec, failing for a malformed one (unknown URL scheme,
 * unsupported dialect, env:NAME unset, "git:" without a revision). */
int source_kind_of(const char *spec, enum source_kind *kind, error *e);

/* Load one source into a new model (sorted); *out is NULL on failure. */
int source_load(const source_ctx *ctx, const char *spec, model **out, error *e);

/*
 * Load both sides of a comparison. When one is live and the other DDL
 * text, the text is normalised through a scratch database (or, with no
 * scratch server at hand, parsed with a warning); two DDL texts are only
 * normalised when ctx->normalise is already set. The text's unqualified
 * names resolve through ctx->search_path, else the live side's.
 */
int source_load_pair(const source_ctx *ctx, const char *from, const char *to,
		     model **from_out, model **to_out, error *e);

/*
 * The pieces of the partial route, for a caller that looks at the parsed
 * comparison first (diff). source_load_live_parsed reads `live_spec` on
 * a thread while it parses `text_spec` (and, with `start_server`, starts
 * the scratch server the exact comparison will need). Both models are
 * sorted, without the migration frameworks' own tables.
 */
int source_load_live_parsed(const source_ctx *ctx, const char *live_spec,
			    const char *text_spec, bool start_server,
			    model **live_out, model **parsed_out, error *e);
/*
 * The exact model of the text `parsed` was parsed from, given `dr`, the
 * differ's output between `live` and `parsed` (either way round): the
 * text's relations that differ are loaded into a scratch database, the
 * others are the live model's (schema/subset.h). 0 and *out set; 1 when
 * it cannot be done that way (no scratch server, a text the part of
 * which does not load, SCHEMIG_FULL_LOAD set): load the whole text.
 */
int source_normalise_part(const source_ctx *ctx, const char *text_spec,
			  const model *live, const model *parsed,
			  const diff_result *dr, model **out);

/*
 * The search path DDL text compared with the live source `live` is read
 * in: *out NULL when ctx->search_path is set (it is used as it is) or
 * the live side's path is the plain default; else that connection's
 * own (dialect.h's search_path; free with dialect_free_names).
 */
int source_search_path(const source_ctx *ctx, const char *live, char ***out,
		       error *e);

/* Is the path NULL, empty or public alone: unqualified names go where
 * the parser puts them too? */
bool source_search_path_is_default(const char *const *sp);

/* Resolve a spec that must name a live database ("env:NAME" or a URL)
 * to its URL; the caller frees it. */
int source_resolve_url(const char *spec, char **url, error *e);

/*
 * A scratch database holding a source's DDL text (a file, a directory or
 * git:REV), kept until source_sandbox_drop: where `dry-run --on dev` runs
 * a plan. The text is loaded as on every scratch load (a non-superuser
 * loader, see dialect.h's scratch_create), and the URL is the loader's
 * own, so the plan run there has no more privileges than the load had.
 */
typedef struct source_sandbox source_sandbox;
int source_sandbox_load(const source_ctx *ctx, const char *spec,
			source_sandbox **out, error *e);
/* The same with DDL text in hand (rendered from a model, say), named
 * `name` in messages as a file would be. */
int source_sandbox_load_sql(const source_ctx *ctx, const char *name,
			    const char *sql, source_sandbox **out, error *e);
/* A new empty scratch database (what a replica on dev is filled into),
 * `what` in messages; with `loader`, owned by a least-privileged loader
 * whose URL source_sandbox_url gives. */
int source_sandbox_empty(const source_ctx *ctx, const char *what, bool loader,
			 source_sandbox **out, error *e);
const char *source_sandbox_url(const source_sandbox *sb);
/* The scratch database's URL as its creator (the server's superuser on
 * a throwaway server), and the loader's name (NULL: none). */
const char *source_sandbox_admin_url(const source_sandbox *sb);
const char *source_sandbox_loader(const source_sandbox *sb);
void source_sandbox_drop(source_sandbox *sb);

/*
 * A spec as it may be shown (messages, plan files, migration headers,
 * reports): env:NAME, dev, git:, file: and plain paths as they are; a
 * connection string through the dialect's redact_url, so that no password
 * survives (one that does not parse is not shown at all). NULL for NULL;
 * the caller frees it.
 */
char *source_spec_redact(const dialect *d, const char *spec);

/*
 * Start the throwaway server of `d` into st (it must hold none yet). A
 * dialect without throwaway servers fails with EXIT_USAGE naming it.
 */
int source_state_start_server(source_state *st, const dialect *d, error *e);

/* The throwaway server's URL (dialect.h's server_url); NULL when none
 * was started. */
const char *source_state_server_url(const source_state *st);

/* Stop the throwaway cluster, if any. */
void source_state_release(source_state *st);
/* Async-signal-safe part of it, for signal handlers. */
void source_state_abort(source_state *st);

#endif
