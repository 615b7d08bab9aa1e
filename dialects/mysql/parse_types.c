/*
 * Column types and DEFAULT values of the MySQL/MariaDB parser, spelled
 * as dialects/mysql/mysql.h says: the integer display width dropped,
 * synonyms folded, the server's implicit lengths written out, and a
 * default as the server keeps it for the column's type (1 on a
 * decimal(10,2) is "1.00", 5 on a bit(3) is "b'101'").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

/* Synonyms: the name written -> the name the server keeps. */
static const struct {
	const char *written, *canon;
} synonyms[] = {{"int1", "tinyint"},
		{"bool", "tinyint"},
		{"boolean", "tinyint"},
		{"int2", "smallint"},
		{"int3", "mediumint"},
		{"middleint", "mediumint"},
		{"integer", "int"},
		{"int4", "int"},
		{"int8", "bigint"},
		{"dec", "decimal"},
		{"numeric", "decimal"},
		{"fixed", "decimal"},
		{"real", "double"},
		{"float8", "double"},
		{"float4", "float"},
		{"character", "char"},
		{"nchar", "char"},
		{"nvarchar", "varchar"},
		{"varcharacter", "varchar"},
		{"long", "mediumtext"},
		{NULL, NULL}};

static bool is_int(const char *t)
{
	return !strcmp(t, "tinyint") || !strcmp(t, "smallint") ||
	       !strcmp(t, "mediumint") || !strcmp(t, "int") ||
	       !strcmp(t, "bigint");
}

/* "(n)" or "(p,s)" after a type; -1 for absent. */
static int type_args(my_ctx *c, long *a, long *b)
{
	*a = *b = -1;
	if (!my_accept_op(c, "("))
		return 0;
	my_tok *t = my_next(c);
	if (t->kind != MT_NUMBER || !isdigit((unsigned char)t->text[0]))
		return my_fail(c, t,
			       "expected a number in the type's "
			       "parentheses");
	*a = strtol(t->text, NULL, 10);
	if (my_accept_op(c, ",")) {
		t = my_next(c);
		if (t->kind != MT_NUMBER || !isdigit((unsigned char)t->text[0]))
			return my_fail(c, t, "expected a number after \",\"");
		*b = strtol(t->text, NULL, 10);
	}
	return my_expect_op(c, ")");
}

/* enum('a','b') / set(...): values quoted, a quote doubled, no spaces. */
static int enum_values(my_ctx *c, strbuf *sb)
{
	if (my_expect_op(c, "("))
		return -1;
	strbuf_addch(sb, '(');
	for (int n = 0;; n++) {
		my_tok *t = my_next(c);
		if (t->kind != MT_STRING)
			return my_fail(c, t, "expected a quoted value");
		if (n)
			strbuf_addch(sb, ',');
		my_add_string_literal(sb, t->text);
		if (!my_accept_op(c, ","))
			break;
	}
	strbuf_addch(sb, ')');
	return my_expect_op(c, ")");
}

/* text(n) and blob(n): the smallest kind that holds n bytes. */
static const char *lob_prefix(long n)
{
	return n < 0	      ? ""
	       : n < 256      ? "tiny"
	       : n < 65536    ? ""
	       : n < 16777216 ? "medium"
			      : "long";
}

/* The charset and collation words that may follow a string type. */
int my_charset_attr(my_ctx *c, char **charset, char **collation)
{
	if ((my_is(c, 0, "CHARACTER") && my_is(c, 1, "SET")) ||
	    my_is(c, 0, "CHARSET")) {
		if (my_accept(c, "CHARACTER"))
			my_next(c);
		else
			my_next(c);
		char *cs = my_ident(c, "a character set");
		if (!cs)
			return -1;
		*charset = cs;
		return 0;
	}
	if (my_accept(c, "COLLATE")) {
		char *co = my_ident(c, "a collation");
		if (!co)
			return -1;
		*collation = co;
		return 0;
	}
	return 1;
}

int my_parse_type(my_ctx *c, m_column *col, char **charset, char **collation)
{
	my_tok *t = my_peek(c, 0);
	if (t->kind != MT_WORD)
		return my_fail(c, t, "expected a type for column \"%s\"",
			       col->name);
	my_next(c);
	char name[64];
	snprintf(name, sizeof(name), "%s", t->text);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* Two-word spellings. */
	if (!strcmp(name, "double") && my_accept(c, "PRECISION"))
		;
	else if (!strcmp(name, "national")) {
		my_tok *w = my_next(c);
		snprintf(name, sizeof(name), "%s",
			 !strcasecmp(w->text, "varchar") ? "varchar" : "char");
		if (my_accept(c, "VARYING"))
			strcpy(name, "varchar");
	} else if ((!strcmp(name, "char") || !strcmp(name, "character") ||
		    !strcmp(name, "nchar")) &&
		   my_accept(c, "VARYING"))
		strcpy(name, "varchar");
	else if (!strcmp(name, "long")) {
		if (my_accept(c, "VARBINARY"))
			strcpy(name, "mediumblob");
		else
			my_accept(c, "VARCHAR");
	}
	/* bool is tinyint(1), the width clients read as a boolean. */
	bool boolean = !strcmp(name, "bool") || !strcmp(name, "boolean");
	for (int i = 0; synonyms[i].written; i++)
		if (!strcmp(name, synonyms[i].written))
			snprintf(name, sizeof(name), "%s", synonyms[i].canon);

	strbuf sb = STRBUF_INIT;
	long a = -1, b = -1;
	int r = 0;
	bool numeric = false;
	if (!strcmp(name, "serial")) {
		/* BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE; the key
		 * is added by the caller. */
		strbuf_adds(&sb, "bigint unsigned");
		col->auto_increment = col->not_null = true;
	} else if (!strcmp(name, "enum") || !strcmp(name, "set")) {
		strbuf_adds(&sb, name);
		r = enum_values(c, &sb);
	} else if ((r = type_args(c, &a, &b)) == 0) {
		if (is_int(name)) {
			/* The display width is dropped, but for tinyint(1)
			 * (mysql.h). */
			strbuf_adds(&sb, name);
			if (!strcmp(name, "tinyint") && (boolean || a == 1))
				strbuf_adds(&sb, "(1)");
			numeric = true;
		} else if (!strcmp(name, "decimal")) {
			strbuf_addf(&sb, "decimal(%ld,%ld)", a < 0 ? 10 : a,
				    b < 0 ? 0 : b);
			numeric = true;
		} else if (!strcmp(name, "float") || !strcmp(name, "double")) {
			/* float(p) picks the kind; float(m,d) keeps both,
			 * as MariaDB and MySQL show them. */
			if (b >= 0)
				strbuf_addf(&sb, "%s(%ld,%ld)", name, a, b);
			else if (!strcmp(name, "float") && a > 24)
				strbuf_adds(&sb, "double");
			else
				strbuf_adds(&sb, name);
			numeric = true;
		} else if (!strcmp(name, "char") || !strcmp(name, "binary") ||
			   !strcmp(name, "bit"))
			strbuf_addf(&sb, "%s(%ld)", name, a < 0 ? 1 : a);
		else if (!strcmp(name, "varchar") ||
			 !strcmp(name, "varbinary")) {
			if (a < 0)
				r = my_fail(c, t, "%s needs a length", name);
			strbuf_addf(&sb, "%s(%ld)", name, a);
		} else if (!strcmp(name, "text") || !strcmp(name, "blob"))
			strbuf_addf(&sb, "%s%s", lob_prefix(a), name);
		else if (!strcmp(name, "year"))
			strbuf_adds(&sb, "year");
		else if (!strcmp(name, "time") || !strcmp(name, "datetime") ||
			 !strcmp(name, "timestamp")) {
			if (a > 0)
				strbuf_addf(&sb, "%s(%ld)", name, a);
			else
				strbuf_adds(&sb, name);
		} else {
			strbuf_adds(&sb, name);
			if (a >= 0 && b >= 0)
				strbuf_addf(&sb, "(%ld,%ld)", a, b);
			else if (a >= 0)
				strbuf_addf(&sb, "(%ld)", a);
		}
	}
	/* Attributes that belong to the type. */
	bool is_unsigned = false, zerofill = false;
	while (r == 0) {
		if (my_accept(c, "UNSIGNED"))
			is_unsigned = true;
		else if (my_accept(c, "SIGNED"))
			;
		else if (my_accept(c, "ZEROFILL"))
			zerofill = true;
		else if (my_accept(c, "ASCII"))
			*charset = "latin1";
		else if (my_accept(c, "UNICODE"))
			*charset = "ucs2";
		else if (my_is(c, 0, "BINARY") && !numeric) {
			/* char(n) BINARY: the charset's _bin collation. */
			my_next(c);
			*collation = "_bin";
		} else {
			int k = my_charset_attr(c, charset, collation);
			if (k < 0)
				r = -1;
			if (k)
				break;
		}
	}
	/* ZEROFILL keeps the display width (mysql.h). */
	int zf =
	    r == 0 && zerofill && is_int(name) ? my_zerofill_width(name) : 0;
	if (zf) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s(%ld)", name, a > 0 ? a : (long)zf);
	}
	if (r == 0 && numeric && (is_unsigned || zerofill))
		strbuf_adds(&sb, " unsigned");
	if (r == 0 && numeric && zerofill)
		strbuf_adds(&sb, " zerofill");
	if (r == 0)
		col->type = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

static bool type_is(const m_column *col, const char *prefix)
{
	return strncmp(col->type, prefix, strlen(prefix)) == 0;
}

static bool type_is_int(const m_column *col)
{
	char base[16] = "";
	sscanf(col->type, "%15[a-z]", base);
	return is_int(base);
}

/*
 * A number at a decimal's scale, rounded half away from zero in decimal
 * as the server does (printf would round 2.25 to even, "2.2"); an
 * exponent goes through double.
 */
static void decimal_text(strbuf *sb, bool neg, const char *num, int scale)
{
	if (strpbrk(num, "eE") || scale > 60) {
		strbuf_addf(sb, "%s%.*f", neg ? "-" : "",
			    scale > 60 ? 60 : scale, strtod(num, NULL));
		return;
	}
	strbuf digits = STRBUF_INIT;
	const char *dot = strchr(num, '.');
	size_t ilen = dot ? (size_t)(dot - num) : strlen(num);
	strbuf_addch(&digits, '0'); /* room for a carry */
	strbuf_add(&digits, num, ilen);
	const char *frac = dot ? dot + 1 : "";
	size_t flen = strlen(frac);
	for (int i = 0; i < scale; i++)
		strbuf_addch(&digits, (size_t)i < flen ? frac[i] : '0');
	if ((size_t)scale < flen && frac[scale] >= '5')
		for (size_t i = digits.len; i-- > 0;) {
			if (digits.buf[i] != '9') {
				digits.buf[i]++;
				break;
			}
			digits.buf[i] = '0';
		}
	/* Leading zeros of the integer part go, one stays. */
	size_t int_end = digits.len - (size_t)scale, start = 0;
	while (start + 1 < int_end && digits.buf[start] == '0')
		start++;
	bool zero = true;
	for (size_t i = start; i < digits.len; i++)
		zero &= digits.buf[i] == '0';
	if (neg && !zero)
		strbuf_addch(sb, '-');
	strbuf_add(sb, digits.buf + start, int_end - start);
	if (scale) {
		strbuf_addch(sb, '.');
		strbuf_add(sb, digits.buf + int_end, (size_t)scale);
	}
	strbuf_release(&digits);
}

/* A SET value as the server keeps it: its members in the type's order,
 * each once ('c,a' on set('a','b','c') is 'a,c'). */
static void set_order(const char *type, strbuf *v)
{
	strbuf out = STRBUF_INIT, member = STRBUF_INIT;
	for (const char *p = strchr(type, '('); p && *p; p++) {
		if (*p != '\'')
			continue;
		strbuf_reset(&member);
		for (p++; *p && !(*p == '\'' && p[1] != '\''); p++) {
			if (*p == '\'')
				p++;
			strbuf_addch(&member, *p);
		}
		/* Is the member in the value's comma-separated list? */
		const char *m = strbuf_str(&member);
		size_t ml = member.len;
		for (const char *q = strbuf_str(v); *q;) {
			const char *e = strchr(q, ',');
			size_t ql = e ? (size_t)(e - q) : strlen(q);
			if (ql == ml && strncasecmp(q, m, ml) == 0) {
				if (out.len)
					strbuf_addch(&out, ',');
				strbuf_add(&out, m, ml);
				break;
			}
			q += ql + (e ? 1 : 0);
		}
		if (!*p)
			break;
	}
	strbuf_reset(v);
	strbuf_adds(v, strbuf_str(&out));
	strbuf_release(&out);
	strbuf_release(&member);
}

static void pad_default(const m_column *col, strbuf *v);

/* A number as the server keeps it for the column's type. */
static char *number_default(my_ctx *c, const m_column *col, const char *num)
{
	strbuf sb = STRBUF_INIT;
	bool neg = *num == '-';
	if (*num == '-' || *num == '+')
		num++;
	char *r;
	if (type_is_int(col) || type_is(col, "year")) {
		/* Digits as written (a bigint's are past a double's), a
		 * fraction rounded away. */
		decimal_text(&sb, neg, num, 0);
	} else if (type_is(col, "decimal")) {
		int scale = 0;
		sscanf(col->type, "decimal(%*d,%d)", &scale);
		decimal_text(&sb, neg, num, scale);
	} else if ((type_is(col, "float(") || type_is(col, "double(")) &&
		   strchr(col->type, ',')) {
		/* float(m,d) and double(m,d) keep d digits, as decimal. */
		int scale = 0;
		sscanf(strchr(col->type, ','), ",%d", &scale);
		decimal_text(&sb, neg, num, scale);
	} else if (type_is(col, "float") || type_is(col, "double")) {
		double d = strtod(num, NULL);
		strbuf_addf(&sb, "%s%.15g", neg && d != 0 ? "-" : "", d);
	} else if (type_is(col, "bit")) {
		unsigned long long v = strtoull(num, NULL, 10);
		strbuf_adds(&sb, "b'");
		int hi = 63;
		while (hi > 0 && !(v >> hi & 1))
			hi--;
		for (int i = hi; i >= 0; i--)
			strbuf_addch(&sb, (char)('0' + (v >> i & 1)));
		strbuf_addch(&sb, '\'');
	} else if ((type_is(col, "date") || type_is(col, "datetime") ||
		    type_is(col, "timestamp")) &&
		   strtod(num, NULL) == 0) {
		/* 0 on a date is its zero value. */
		strbuf sv = STRBUF_INIT;
		strbuf_adds(&sv, type_is(col, "datetime") ||
					 type_is(col, "timestamp")
				     ? "0000-00-00 00:00:00"
				     : "0000-00-00");
		pad_default(col, &sv);
		my_add_string_literal(&sb, strbuf_str(&sv));
		strbuf_release(&sv);
	} else {
		strbuf sv = STRBUF_INIT;
		strbuf_addf(&sv, "%s%s", neg ? "-" : "", num);
		my_add_string_literal(&sb, strbuf_str(&sv));
		strbuf_release(&sv);
	}
	r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/*
 * A string default as the server stores it: a time with fraction digits
 * gets them all ('10:00:00' on a time(2) is '10:00:00.00'), a binary(n)
 * is padded with NUL bytes (kept as the escape \0, as dumps show them).
 */
static void pad_default(const m_column *col, strbuf *v)
{
	int n = 0;
	if ((sscanf(col->type, "time(%d)", &n) == 1 ||
	     sscanf(col->type, "datetime(%d)", &n) == 1 ||
	     sscanf(col->type, "timestamp(%d)", &n) == 1) &&
	    n > 0 && n <= 6 && v->len >= 5 && strchr(v->buf, ':')) {
		const char *dot = strchr(v->buf, '.');
		int have = dot ? (int)strlen(dot + 1) : -1;
		if (have < 0)
			strbuf_addch(v, '.');
		for (int i = have < 0 ? 0 : have; i < n; i++)
			strbuf_addch(v, '0');
	} else if (sscanf(col->type, "binary(%d)", &n) == 1 && n <= 255) {
		/* Count an escaped NUL ("\0") as one byte. */
		int bytes = 0;
		for (size_t i = 0; i < v->len; i++, bytes++)
			if (v->buf[i] == '\\' && i + 1 < v->len &&
			    v->buf[i + 1] == '0')
				i++;
		for (; bytes < n; bytes++)
			strbuf_adds(v, "\\0");
	}
}

static bool is_now(const char *w)
{
	return !strcasecmp(w, "CURRENT_TIMESTAMP") || !strcasecmp(w, "NOW") ||
	       !strcasecmp(w, "LOCALTIME") || !strcasecmp(w, "LOCALTIMESTAMP");
}

/* CURRENT_TIMESTAMP[(n)], NOW([n]) and their synonyms, consumed, as
 * "current_timestamp()" / "current_timestamp(n)"; NULL when the tokens
 * are something else. */
char *my_now(my_ctx *c)
{
	my_tok *t = my_peek(c, 0);
	if (t->kind != MT_WORD || !is_now(t->text))
		return NULL;
	bool needs_paren = !strcasecmp(t->text, "NOW");
	if (needs_paren && !my_is_op(c, 1, "("))
		return NULL;
	my_next(c);
	const char *n = "";
	if (my_accept_op(c, "(")) {
		if (my_peek(c, 0)->kind == MT_NUMBER)
			n = my_next(c)->text;
		if (my_expect_op(c, ")"))
			return NULL;
	}
	return arena_sprintf(&c->m->arena, "current_timestamp(%s)",
			     strcmp(n, "0") ? n : "");
}

int my_parse_default(my_ctx *c, m_column *col, char **out)
{
	my_tok *t = my_peek(c, 0);
	*out = NULL;
	if (t->kind == MT_WORD && !strcasecmp(t->text, "NULL")) {
		my_next(c);
		return 0;
	}
	if (t->kind == MT_WORD && is_now(t->text)) {
		int at = c->pos;
		if ((*out = my_now(c)) != NULL)
			return 0;
		if (c->e->msg)
			return -1;
		c->pos = at;
	}
	bool sign = t->kind == MT_OP &&
		    (!strcmp(t->text, "-") || !strcmp(t->text, "+")) &&
		    my_peek(c, 1)->kind == MT_NUMBER;
	if (sign || t->kind == MT_NUMBER) {
		my_next(c);
		char num[128];
		snprintf(num, sizeof(num), "%s%s", sign ? t->text : "",
			 sign ? my_next(c)->text : t->text);
		*out = number_default(c, col, num);
		return 0;
	}
	if (t->kind == MT_WORD &&
	    (!strcasecmp(t->text, "TRUE") || !strcasecmp(t->text, "FALSE"))) {
		my_next(c);
		*out = number_default(c, col,
				      strcasecmp(t->text, "TRUE") ? "0" : "1");
		return 0;
	}
	if (t->kind == MT_STRING) {
		my_next(c);
		bool numeric = type_is_int(col) || type_is(col, "decimal") ||
			       type_is(col, "float") ||
			       type_is(col, "double") || type_is(col, "year");
		char *end = NULL;
		if (numeric && *t->text)
			strtod(t->text, &end);
		if (numeric && end && !*end)
			*out = number_default(c, col, t->text);
		else {
			strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
			strbuf_adds(&v, t->text);
			pad_default(col, &v);
			if (type_is(col, "set("))
				set_order(col->type, &v);
			if (my_type_is_binary(col->type))
				my_canon_bytes(&sb, v.buf ? v.buf : "", v.len);
			else
				my_add_string_literal(&sb, strbuf_str(&v));
			strbuf_release(&v);
			*out = model_str(c->m, strbuf_str(&sb));
			strbuf_release(&sb);
		}
		return 0;
	}
	if (t->kind == MT_HEX || t->kind == MT_BIT) {
		my_next(c);
		bool numeric = type_is_int(col) || type_is(col, "decimal") ||
			       type_is(col, "float") || type_is(col, "double");
		if (type_is(col, "bit") || t->kind == MT_BIT || numeric)
			*out =
			    t->kind == MT_BIT
				? arena_sprintf(&c->m->arena, "b'%s'", t->text)
				: number_default(
				      c, col,
				      arena_sprintf(
					  &c->m->arena, "%llu",
					  strtoull(t->text, NULL, 16)));
		else {
			/* x'41' on a string column is the string 'A'; on a
			 * binary one, bytes (mysql.h's form). */
			bool bin = my_type_is_binary(col->type);
			strbuf raw = STRBUF_INIT, sb = STRBUF_INIT;
			for (const char *p = t->text; p[0] && p[1]; p += 2) {
				char h[3] = {p[0], p[1], 0};
				char ch = (char)strtol(h, NULL, 16);
				strbuf_addch(&raw, ch || bin ? ch : ' ');
			}
			if (bin)
				my_canon_bytes(&sb, raw.buf ? raw.buf : "",
					       raw.len);
			else
				my_add_string_literal(&sb, strbuf_str(&raw));
			*out = model_str(c->m, strbuf_str(&sb));
			strbuf_release(&raw);
			strbuf_release(&sb);
		}
		return 0;
	}
	/* Any other expression: (expr) or a bare call, in parentheses. */
	char *expr;
	if (t->kind == MT_OP && !strcmp(t->text, "(")) {
		expr = my_paren_expr(c);
	} else if (t->kind == MT_WORD && my_is_op(c, 1, "(")) {
		int from = c->pos;
		my_next(c);
		int depth = 0;
		do {
			if (my_is_op(c, 0, "("))
				depth++;
			else if (my_is_op(c, 0, ")"))
				depth--;
			my_next(c);
		} while (depth > 0 && !my_at_end(c));
		expr = depth ? NULL : my_render(c, from, c->pos);
		if (!expr)
			my_fail(c, t, "unbalanced parentheses in a DEFAULT");
	} else {
		char buf[64];
		snprintf(buf, sizeof(buf), "%.40s", t->text);
		return my_fail(c, t,
			       "unexpected DEFAULT value \"%s\" for "
			       "column \"%s\"",
			       buf, col->name);
	}
	if (!expr)
		return -1;
	*out = arena_sprintf(&c->m->arena, "(%s)", expr);
	return 0;
}
