/*
 * The canonical spellings of mysql.h for what the server prints in
 * several ways: column types (display widths), defaults (MariaDB quotes
 * string literals, MySQL does not), string literals.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"

/* Types whose "(n)" is only a display width, dropped by MySQL 8.0.19+
 * and meaningless for storage and comparison. */
static const char *const width_only[] = {
    "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year",
};

/* Spellings the server never prints but a file may use. */
static const struct {
	const char *from, *to;
} synonyms[] = {
    {"integer", "int"},
    {"int4", "int"},
    {"int8", "bigint"},
    {"int2", "smallint"},
    {"int1", "tinyint"},
    {"int3", "mediumint"},
    {"bool", "tinyint(1)"},
    {"boolean", "tinyint(1)"},
    {"middleint", "mediumint"},
    {"real", "double"},
    {"float8", "double"},
    {"float4", "float"},
    {"double precision", "double"},
};

void my_canon_type(strbuf *out, const char *type)
{
	const char *p = type;
	size_t wlen;
	char word[32];
	/* The leading word (or "double precision"), lower-cased. */
	while (*p == ' ')
		p++;
	wlen = strspn(
	    p,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
	if (!wlen || wlen >= sizeof(word)) {
		for (; *p; p++)
			strbuf_addch(out, (char)tolower((unsigned char)*p));
		return;
	}
	for (size_t i = 0; i < wlen; i++)
		word[i] = (char)tolower((unsigned char)p[i]);
	word[wlen] = '\0';
	p += wlen;
	if (!strcmp(word, "double") && !strncasecmp(p, " precision", 10))
		p += 10;
	const char *name = word;
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(*synonyms); i++)
		if (!strcmp(word, synonyms[i].from))
			name = synonyms[i].to;
	strbuf_adds(out, name);
	for (size_t i = 0; i < sizeof(width_only) / sizeof(*width_only); i++) {
		if (strcmp(word, width_only[i]) || *p != '(')
			continue;
		/* tinyint(1) is how clients tell a boolean: MySQL 8 keeps
		 * that width, and so does the model. */
		if (!strcmp(word, "tinyint") && !strncmp(p, "(1)", 3))
			break;
		const char *close = strchr(p, ')');
		if (close)
			p = close + 1;
		break;
	}
	/* The rest (lengths, enum values, unsigned, zerofill): enum and set
	 * values keep their case, everything else is lower-cased. */
	bool in_quote = false;
	for (; *p; p++) {
		char c = *p;
		if (c == '\'')
			in_quote = !in_quote;
		strbuf_addch(out, in_quote || c == '\''
				      ? c
				      : (char)tolower((unsigned char)c));
	}
}

void my_canon_string(strbuf *out, const char *s)
{
	strbuf_addch(out, '\'');
	for (; *s; s++) {
		switch (*s) {
		case '\'':
			strbuf_adds(out, "''");
			break;
		case '\\':
			strbuf_adds(out, "\\\\");
			break;
		case '\n':
			strbuf_adds(out, "\\n");
			break;
		case '\r':
			strbuf_adds(out, "\\r");
			break;
		case '\032':
			strbuf_adds(out, "\\Z");
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
	strbuf_addch(out, '\'');
}

static bool is_number(const char *s)
{
	bool digits = false;
	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits = true;
		else if (*s != '.' && *s != 'e' && *s != 'E' && *s != '-' &&
			 *s != '+')
			return false;
	}
	return digits;
}

/* current_timestamp, current_timestamp(n), now(), localtime... as
 * "current_timestamp()" / "current_timestamp(n)"; false for anything
 * else. */
static bool canon_now(strbuf *out, const char *s)
{
	static const char *const names[] = {
	    "current_timestamp",
	    "now",
	    "localtime",
	    "localtimestamp",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		size_t n = strlen(names[i]);
		if (strncasecmp(s, names[i], n))
			continue;
		const char *p = s + n;
		if (!*p) {
			strbuf_adds(out, "current_timestamp()");
			return true;
		}
		if (*p != '(')
			continue;
		p++;
		size_t digits = strspn(p, "0123456789");
		if (p[digits] != ')' || p[digits + 1])
			continue;
		if (!digits || (digits == 1 && *p == '0'))
			strbuf_adds(out, "current_timestamp()");
		else
			strbuf_addf(out, "current_timestamp(%.*s)", (int)digits,
				    p);
		return true;
	}
	return false;
}

/* Whether `s` is one parenthesised group: "(a + b)" but not
 * "(a) + (b)". Quotes are skipped. */
static bool one_group(const char *s)
{
	int depth = 0;
	char q = 0;
	if (*s != '(')
		return false;
	for (const char *p = s; *p; p++) {
		if (q) {
			if (*p == '\\' && q != '`' && p[1])
				p++;
			else if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '\'' || *p == '"' || *p == '`')
			q = *p;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p[1] == '\0';
	}
	return false;
}

static bool numeric_type(const char *type)
{
	static const char *const nums[] = {
	    "tinyint", "smallint", "mediumint", "int",	"bigint",
	    "decimal", "float",	   "double",	"year",
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(*nums); i++) {
		size_t n = strlen(nums[i]);
		if (!strncmp(type, nums[i], n) &&
		    (!type[n] || type[n] == '(' || type[n] == ' '))
			return true;
	}
	return false;
}

static bool hex_string(strbuf *out, const char *value, const char *type)
{
	static const char *const bins[] = {"binary", "varbinary",  "tinyblob",
					   "blob",   "mediumblob", "longblob"};
	bool bin = false;
	size_t n = strlen(value);
	for (size_t i = 0; i < sizeof(bins) / sizeof(*bins); i++) {
		size_t k = strlen(bins[i]);
		if (!strncmp(type, bins[i], k) && (!type[k] || type[k] == '('))
			bin = true;
	}
	if (!bin || n < 2 || value[0] != '0' || value[1] != 'x' || n % 2)
		return false;
	strbuf raw = STRBUF_INIT;
	for (size_t i = 2; i < n; i += 2) {
		char hex[3] = {value[i], value[i + 1], 0};
		char *end;
		long c = strtol(hex, &end, 16);
		if (*end || !isxdigit((unsigned char)hex[0])) {
			strbuf_release(&raw);
			return false;
		}
		/* Bytes no literal shows as they are: the hex stays. */
		if (c < 0x20 || c >= 0x7f) {
			strbuf_release(&raw);
			strbuf_adds(out, value);
			return true;
		}
		strbuf_addch(&raw, (char)c);
	}
	my_canon_string(out, strbuf_str(&raw));
	strbuf_release(&raw);
	return true;
}

void my_canon_default(strbuf *out, const char *value, const char *type,
		      bool mariadb, bool expression)
{
	if (!value)
		return;
	if (canon_now(out, value))
		return;
	if (mariadb) {
		/* MariaDB 10.2.7+ prints defaults as SQL: NULL, quoted
		 * literals, numbers, b'..', or an expression. */
		if (!strcmp(value, "NULL"))
			return;
		if (*value == '\'' || is_number(value) ||
		    !strncasecmp(value, "b'", 2) ||
		    !strncasecmp(value, "x'", 2)) {
			strbuf_adds(out, value);
			return;
		}
		expression = true;
	}
	if (expression) {
		if (one_group(value)) {
			strbuf_adds(out, value);
		} else {
			strbuf_addch(out, '(');
			strbuf_adds(out, value);
			strbuf_addch(out, ')');
		}
		return;
	}
	/* MySQL prints a literal's value bare: the type says whether it was
	 * a number or a string; a binary string's in hex (0x616263), read
	 * back as the string when it is printable ASCII, as MariaDB prints
	 * it, else kept in hex. */
	if (hex_string(out, value, type))
		return;
	if ((numeric_type(type) && is_number(value)) ||
	    (!strncmp(type, "bit", 3) && !strncasecmp(value, "b'", 2)))
		strbuf_adds(out, value);
	else
		my_canon_string(out, value);
}
