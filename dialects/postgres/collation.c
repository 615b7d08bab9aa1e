/*
 * The canonical CREATE COLLATION statement (collation.h).
 */
#include "collation.h"

#include <string.h>

#include "pg.h"

static void add_opt(strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, ", %s = ", key);
	pg_quote_literal(sb, value ? value : "");
}

void pg_collation_definition(strbuf *sb, const pg_coll_parts *p)
{
	strbuf_adds(sb, "CREATE COLLATION ");
	pg_quote_qualified(sb, p->schema, p->name);
	strbuf_addf(sb, " (provider = %s",
		    p->provider == 'i'	 ? "icu"
		    : p->provider == 'b' ? "builtin"
					 : "libc");
	if (!p->deterministic)
		strbuf_adds(sb, ", deterministic = false");
	/* pg_dump writes one locale when lc_collate and lc_ctype agree. */
	if (p->provider != 'c')
		add_opt(sb, "locale", p->locale);
	else if (p->collate && p->ctype && !strcmp(p->collate, p->ctype))
		add_opt(sb, "locale", p->collate);
	else {
		add_opt(sb, "lc_collate", p->collate);
		add_opt(sb, "lc_ctype", p->ctype);
	}
	if (p->rules)
		add_opt(sb, "rules", p->rules);
	strbuf_addch(sb, ')');
}
