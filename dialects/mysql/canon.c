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

int my_zerofill_width(const char *int_type)
{
	static const struct {
		const char *name;
		int width;
	} widths[] = {{"tinyint", 3},
		      {"smallint", 5},
		      {"mediumint", 8},
		      {"int", 10},
		      {"bigint", 20}};
	for (size_t i = 0; i < sizeof(widths) / sizeof(*widths); i++)
		if (!strcmp(int_type, widths[i].name))
			return widths[i].width;
	return 0;
}

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
	/* ZEROFILL pads to the display width, which then is part of what
	 * the column holds: kept, the server's default said outright. */
	int zf = strcasestr(p, "zerofill") ? my_zerofill_width(name) : 0;
	if (zf && *p != '(')
		strbuf_addf(out, "(%d)", zf);
	for (size_t i = 0; !zf && i < sizeof(width_only) / sizeof(*width_only);
	     i++) {
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

bool my_type_is_binary(const char *type)
{
	static const char *const bins[] = {"binary", "varbinary",  "tinyblob",
					   "blob",   "mediumblob", "longblob"};
	for (size_t i = 0; i < sizeof(bins) / sizeof(*bins); i++) {
		size_t k = strlen(bins[i]);
		if (!strncmp(type, bins[i], k) && (!type[k] || type[k] == '('))
			return true;
	}
	return false;
}

void my_canon_bytes(strbuf *out, const char *bytes, size_t n)
{
	bool printable = true;
	for (size_t i = 0; i < n; i++)
		printable &= (unsigned char)bytes[i] >= 0x20 &&
			     (unsigned char)bytes[i] < 0x7f;
	if (printable) {
		strbuf raw = STRBUF_INIT;
		strbuf_add(&raw, bytes, n);
		my_canon_string(out, strbuf_str(&raw));
		strbuf_release(&raw);
		return;
	}
	strbuf_adds(out, "X'");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%02x", (unsigned char)bytes[i]);
	strbuf_addch(out, '\'');
}

/* Hex digits into bytes; false when they are not pairs of hex digits. */
static bool hex_bytes(strbuf *raw, const char *hex, size_t n)
{
	if (n % 2)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		if (!isxdigit((unsigned char)hex[i]) ||
		    !isxdigit((unsigned char)hex[i + 1]))
			return false;
		char h[3] = {hex[i], hex[i + 1], 0};
		strbuf_addch(raw, (char)strtol(h, NULL, 16));
	}
	return true;
}

/*
 * A binary string's default, as MySQL (0x616263), or MariaDB ('a\0b'
 * with its escapes, or X'01' for a BLOB) print it, in the canonical
 * form (my_canon_bytes). False when it is none of those forms.
 */
static bool binary_default(strbuf *out, const char *value, bool mariadb)
{
	strbuf raw = STRBUF_INIT;
	size_t n = strlen(value);
	bool ok = false;
	if (!mariadb && n >= 2 && value[0] == '0' && value[1] == 'x')
		ok = hex_bytes(&raw, value + 2, n - 2);
	else if ((value[0] == 'x' || value[0] == 'X') && value[1] == '\'' &&
		 n >= 3 && value[n - 1] == '\'')
		ok = hex_bytes(&raw, value + 2, n - 3);
	else if (mariadb && value[0] == '\'' && n >= 2 &&
		 value[n - 1] == '\'') {
		/* MariaDB's escapes: '' and \' a quote, \0 NUL, \n, \r,
		 * \t, \Z, \b, \\; anything else as it is. */
		for (size_t i = 1; i + 1 < n; i++) {
			char ch = value[i];
			if (ch == '\'' && value[i + 1] == '\'' && i + 2 < n)
				i++;
			else if (ch == '\\' && i + 2 < n) {
				static const char from[] = "0nrtZb",
						  to[] = "\0\n\r\t\032\b";
				const char *k = strchr(from, value[++i]);
				ch = k && *k ? to[k - from] : value[i];
			}
			strbuf_addch(&raw, ch);
		}
		ok = true;
	}
	if (ok)
		my_canon_bytes(out, raw.buf ? raw.buf : "", raw.len);
	strbuf_release(&raw);
	return ok;
}

/* A number as the default of a column of `type`: a ZEROFILL column's
 * padding (MariaDB prints 00000005) is not part of the value. */
static void number(strbuf *out, const char *value, const char *type)
{
	if (strstr(type, " zerofill"))
		while (value[0] == '0' && value[1] >= '0' && value[1] <= '9')
			value++;
	strbuf_adds(out, value);
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
		if (my_type_is_binary(type) && binary_default(out, value, true))
			return;
		if (is_number(value)) {
			number(out, value, type);
			return;
		}
		if (*value == '\'' || !strncasecmp(value, "b'", 2) ||
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
	if (my_type_is_binary(type) && binary_default(out, value, false))
		return;
	if (numeric_type(type) && is_number(value))
		number(out, value, type);
	else if (!strncmp(type, "bit", 3) && !strncasecmp(value, "b'", 2))
		strbuf_adds(out, value);
	else
		my_canon_string(out, value);
}
