#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "keywords.h"

static int cmp_kw(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool pg_ident_is_plain(const char *ident)
{
	if (!ident || !*ident)
		return false;
	/* The same test as the server's quote_identifier(): lower-case
	 * letters, digits and underscores, not starting with a digit. */
	if (!((*ident >= 'a' && *ident <= 'z') || *ident == '_'))
		return false;
	for (const char *p = ident; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	return !bsearch(ident, pg_quoted_keywords,
			sizeof(pg_quoted_keywords) /
			    sizeof(pg_quoted_keywords[0]),
			sizeof(pg_quoted_keywords[0]), cmp_kw);
}

void pg_quote_ident(strbuf *sb, const char *ident)
{
	if (pg_ident_is_plain(ident)) {
		strbuf_adds(sb, ident);
		return;
	}
	strbuf_addch(sb, '"');
	for (const char *p = ident ? ident : ""; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

void pg_quote_qualified(strbuf *sb, const char *schema, const char *name)
{
	if (schema) {
		pg_quote_ident(sb, schema);
		strbuf_addch(sb, '.');
	}
	pg_quote_ident(sb, name);
}

void pg_quote_literal(strbuf *sb, const char *s)
{
	/* With standard_conforming_strings on (the default since 9.1) a
	 * backslash is literal inside '...'; E'' is used only so that the
	 * output reads the same under either setting. */
	bool backslash = strchr(s, '\\') != NULL;
	if (backslash)
		strbuf_addch(sb, 'E');
	strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || (backslash && *p == '\\'))
			strbuf_addch(sb, *p);
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

void pg_quote_literal_std(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			strbuf_addch(sb, *p);
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}
