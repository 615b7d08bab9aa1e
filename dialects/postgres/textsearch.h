/*
 * Text search configurations and dictionaries in one canonical spelling,
 * shared by the parser and introspection, and what a file needs to know
 * of the server's own ones without a server: the built-in
 * configurations' mappings (COPY = pg_catalog.english copies them) and
 * the built-in dictionary and template names (an unqualified name in a
 * file is one of those, else the file's own in public).
 */
#ifndef SCHEMIG_PG_TEXTSEARCH_H
#define SCHEMIG_PG_TEXTSEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../../util/strbuf.h"

/* The mappings of built-in configuration `name` (in pg_catalog), one
 * token type and one dictionary each: fills up to PG_TS_BUILTIN_TOKENS
 * entries of tokens[] and dicts[] and returns how many, or -1 when the
 * server has no such configuration (as far as schemig knows). */
#define PG_TS_BUILTIN_TOKENS 19
int pg_ts_builtin_mappings(const char *name, const char **tokens,
			   const char **dicts);

/* Is `name` a dictionary, template or parser every database has in
 * pg_catalog? */
bool pg_ts_builtin_dict(const char *name);
bool pg_ts_builtin_template(const char *name);
bool pg_ts_builtin_parser(const char *name);

/* One option as the server serialises dictionary options into
 * pg_ts_dict.dictinitoption: key = 'value' (a number unquoted), ", "
 * before every one but the first. */
void pg_ts_dict_option(strbuf *sb, const char *key, const char *value,
		       bool number);

/* Walk a serialised option list: at `p`, one "key = value"; sets where
 * its key starts, the key's length (quoted as written) and where the
 * option ends; returns where the next one starts (past ", ") or the end
 * of the text, NULL when `p` is already at the end. */
const char *pg_ts_next_option(const char *p, const char **key, size_t *klen,
			      const char **end);

/* "CREATE TEXT SEARCH DICTIONARY public.d (TEMPLATE = simple,
 * stopwords = 'english')"; options may be NULL. */
void pg_ts_dict_definition(strbuf *sb, const char *schema, const char *name,
			   const char *template_name, const char *options);

#endif
