/*
 * The search path DDL text is read in (source.h): the configured one, or
 * the live side's of a comparison, asked of the dialect.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"

bool source_search_path_is_default(const char *const *sp)
{
	return !sp || !sp[0] || (!strcmp(sp[0], "public") && !sp[1]);
}

int source_search_path(const source_ctx *ctx, const char *live, char ***out,
		       error *e)
{
	*out = NULL;
	/* The configured path wins: it is what the team wrote the file
	 * for, whoever schemig connects as. `dev` is empty: its path
	 * says nothing about the file. */
	if (ctx->search_path || !ctx->dialect->search_path ||
	    !strcmp(live, "dev"))
		return 0;
	char *url = NULL;
	int r = source_resolve_url(live, &url, e);
	if (!r)
		r = ctx->dialect->search_path(url, out, e);
	/* Defence in depth, as every load: no secret of the URL in e; and
	 * the variable it came from named, as a load names it. */
	if (r < 0 && url && ctx->dialect->scrub_secrets)
		ctx->dialect->scrub_secrets(e, url);
	if (r < 0 && url && !strncmp(live, "env:", 4))
		error_prefix(e, "%s", live);
	free(url);
	return r;
}
