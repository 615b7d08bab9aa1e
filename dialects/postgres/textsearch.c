/*
 * Text search: canonical statements and the server's built-in objects
 * (textsearch.h).
 */
#include "textsearch.h"

#include <string.h>

#include "pg.h"

/*
 * The built-in configurations (snowball_create.sql): one per snowball
 * language, each mapping the ASCII word tokens to an "ascii" stemmer,
 * the other word tokens to its own stemmer, and the rest to simple;
 * "simple" maps everything to simple. Hindi and Russian stem ASCII words
 * as English. The set is that of PostgreSQL 13 to 17.
 */
static const char *const languages[] = {
    "arabic",	 "armenian",   "basque",   "catalan", "danish",	    "dutch",
    "english",	 "finnish",    "french",   "german",  "greek",	    "hindi",
    "hungarian", "indonesian", "irish",	   "italian", "lithuanian", "nepali",
    "norwegian", "portuguese", "romanian", "russian", "serbian",    "spanish",
    "swedish",	 "tamil",      "turkish",  "yiddish", NULL};

static const char *const ascii_tokens[] = {"asciiword", "hword_asciipart",
					   "asciihword", NULL};
static const char *const word_tokens[] = {"word", "hword_part", "hword", NULL};
static const char *const simple_tokens[] = {
    "email",   "url",		"url_path", "host", "file",
    "version", "sfloat",	"float",    "int",  "uint",
    "numword", "hword_numpart", "numhword", NULL};

static const char *language_of(const char *name)
{
	for (int i = 0; languages[i]; i++)
		if (!strcmp(languages[i], name))
			return languages[i];
	return NULL;
}

int pg_ts_builtin_mappings(const char *name, const char **tokens,
			   const char **dicts)
{
	static const char *const stems[] = {
	    "arabic_stem",    "armenian_stem",	 "basque_stem",
	    "catalan_stem",   "danish_stem",	 "dutch_stem",
	    "english_stem",   "finnish_stem",	 "french_stem",
	    "german_stem",    "greek_stem",	 "hindi_stem",
	    "hungarian_stem", "indonesian_stem", "irish_stem",
	    "italian_stem",   "lithuanian_stem", "nepali_stem",
	    "norwegian_stem", "portuguese_stem", "romanian_stem",
	    "russian_stem",   "serbian_stem",	 "spanish_stem",
	    "swedish_stem",   "tamil_stem",	 "turkish_stem",
	    "yiddish_stem"};
	const char *word = NULL, *ascii = NULL;
	if (!strcmp(name, "simple")) {
		word = ascii = "simple";
	} else {
		for (int i = 0; languages[i] && !word; i++)
			if (!strcmp(languages[i], name))
				word = stems[i];
		if (!word)
			return -1;
		ascii = !strcmp(name, "hindi") || !strcmp(name, "russian")
			    ? "english_stem"
			    : word;
	}
	int n = 0;
	for (int i = 0; ascii_tokens[i]; i++, n++) {
		tokens[n] = ascii_tokens[i];
		dicts[n] = ascii;
	}
	for (int i = 0; word_tokens[i]; i++, n++) {
		tokens[n] = word_tokens[i];
		dicts[n] = word;
	}
	for (int i = 0; simple_tokens[i]; i++, n++) {
		tokens[n] = simple_tokens[i];
		dicts[n] = "simple";
	}
	return n;
}

bool pg_ts_builtin_dict(const char *name)
{
	if (!strcmp(name, "simple"))
		return true;
	size_t n = strlen(name);
	if (n <= 5 || strcmp(name + n - 5, "_stem"))
		return false;
	char lang[64];
	if (n - 5 >= sizeof(lang))
		return false;
	memcpy(lang, name, n - 5);
	lang[n - 5] = '\0';
	return language_of(lang) != NULL;
}

bool pg_ts_builtin_template(const char *name)
{
	static const char *const t[] = {"simple", "synonym",  "thesaurus",
					"ispell", "snowball", NULL};
	for (int i = 0; t[i]; i++)
		if (!strcmp(t[i], name))
			return true;
	return false;
}

bool pg_ts_builtin_parser(const char *name)
{
	return !strcmp(name, "default");
}

void pg_ts_dict_option(strbuf *sb, const char *key, const char *value,
		       bool number)
{
	if (sb->len)
		strbuf_adds(sb, ", ");
	pg_quote_ident(sb, key);
	strbuf_adds(sb, " = ");
	if (number)
		strbuf_adds(sb, value);
	else
		pg_quote_literal(sb, value);
}

void pg_ts_dict_definition(strbuf *sb, const char *schema, const char *name,
			   const char *template_name, const char *options)
{
	strbuf_adds(sb, "CREATE TEXT SEARCH DICTIONARY ");
	pg_quote_qualified(sb, schema, name);
	strbuf_addf(sb, " (TEMPLATE = %s", template_name);
	if (options && *options)
		strbuf_addf(sb, ", %s", options);
	strbuf_addch(sb, ')');
}

const char *pg_ts_next_option(const char *p, const char **key, size_t *klen,
			      const char **end)
{
	if (!p || !*p)
		return NULL;
	*key = p;
	if (*p == '"') {
		for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
			if (*p == '"')
				p++;
		if (*p)
			p++;
	} else {
		while (*p && *p != ' ')
			p++;
	}
	*klen = (size_t)(p - *key);
	if (!strncmp(p, " = ", 3))
		p += 3;
	bool esc = *p == 'E' && p[1] == '\'';
	if (esc)
		p++;
	if (*p == '\'') {
		for (p++; *p; p++) {
			if (esc && *p == '\\' && p[1]) {
				p++;
				continue;
			}
			if (*p == '\'') {
				if (p[1] != '\'')
					break;
				p++;
			}
		}
		if (*p)
			p++;
	} else {
		while (*p && strncmp(p, ", ", 2))
			p++;
	}
	*end = p;
	return !strncmp(p, ", ", 2) ? p + 2 : p;
}
