/*
 * Expressions, types and defaults of the MySQL/MariaDB parser, in the
 * canonical forms dialects/mysql/mysql.h fixes. An expression is not
 * parsed into a tree: its tokens are rendered again with one spacing
 * (names in backticks, functions and keywords in lower case, operators
 * between single spaces, no space inside parentheses or after a comma),
 * which is how MariaDB prints CHECK, DEFAULT and generated expressions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql.h"
#include "parse_internal.h"

/* Words that are not names inside an expression or a query. */
static const char *const keywords[] = {"AND",
				       "OR",
				       "NOT",
				       "XOR",
				       "IS",
				       "NULL",
				       "IN",
				       "LIKE",
				       "BETWEEN",
				       "CASE",
				       "WHEN",
				       "THEN",
				       "ELSE",
				       "END",
				       "DIV",
				       "MOD",
				       "REGEXP",
				       "RLIKE",
				       "TRUE",
				       "FALSE",
				       "AS",
				       "DISTINCT",
				       "INTERVAL",
				       "ESCAPE",
				       "COLLATE",
				       "BINARY",
				       "SELECT",
				       "FROM",
				       "WHERE",
				       "GROUP",
				       "BY",
				       "ORDER",
				       "HAVING",
				       "LIMIT",
				       "OFFSET",
				       "JOIN",
				       "LEFT",
				       "RIGHT",
				       "INNER",
				       "OUTER",
				       "CROSS",
				       "NATURAL",
				       "STRAIGHT_JOIN",
				       "ON",
				       "USING",
				       "UNION",
				       "ALL",
				       "ASC",
				       "DESC",
				       "WITH",
				       "RECURSIVE",
				       "OVER",
				       "PARTITION",
				       "ROWS",
				       "RANGE",
				       "UNBOUNDED",
				       "PRECEDING",
				       "FOLLOWING",
				       "CURRENT",
				       "ROW",
				       "EXISTS",
				       "ANY",
				       "SOME",
				       "VALUES",
				       "LESS",
				       "THAN",
				       "MAXVALUE",
				       "LIST",
				       "HASH",
				       "KEY",
				       "LINEAR",
				       "PARTITIONS",
				       "SUBPARTITION",
				       "SUBPARTITIONS",
				       "ENGINE",
				       "COMMENT",
				       "FOR",
				       "UPDATE",
				       "SHARE",
				       "LOCK",
				       "MODE",
				       "CHECK",
				       "OPTION",
				       "CASCADED",
				       "LOCAL",
				       "SECOND",
				       "MINUTE",
				       "HOUR",
				       "DAY",
				       "WEEK",
				       "MONTH",
				       "QUARTER",
				       "YEAR",
				       "MICROSECOND",
				       "SIGNED",
				       "UNSIGNED",
				       "CHAR",
				       "DATE",
				       "DATETIME",
				       "TIME",
				       "DECIMAL",
				       "DOUBLE",
				       "FLOAT",
				       "INTEGER",
				       "JSON",
				       "NCHAR",
				       "SOUNDS",
				       "EXCEPT",
				       "INTERSECT",
				       "UNKNOWN",
				       "DEFAULT",
				       "FIRST",
				       "LAST",
				       "NULLS",
				       "CURRENT_TIMESTAMP",
				       "CURRENT_DATE",
				       "CURRENT_TIME",
				       "CURRENT_USER",
				       "LOCALTIME",
				       "LOCALTIMESTAMP",
				       "UTC_TIMESTAMP",
				       "UTC_DATE",
				       "UTC_TIME",
				       NULL};

/* Functions MariaDB prints under another name. */
static const char *const fn_synonyms[] = {
    "lower",	   "lcase",	 "upper",
    "ucase",	   "substring",	 "substr",
    "mid",	   "substr",	 "character_length",
    "char_length", "length",	 "octet_length",
    "day",	   "dayofmonth", "power",
    "pow",	   "ceil",	 "ceiling",
    NULL};

/* Operators MariaDB prints under another spelling (PIPES_AS_CONCAT
 * off: || is OR). */
static const char *const op_synonyms[] = {"!=", "<>", "%",   "MOD", "||",
					  "or", "&&", "and", NULL};

/* Keywords that are never a function's name, even before "(". */
static const char *const not_functions[] = {
    "AND",	    "OR",     "NOT",	   "XOR",    "IN",
    "EXISTS",	    "VALUES", "AS",	   "THAN",   "ANY",
    "SOME",	    "ALL",    "USING",	   "ON",     "WHEN",
    "THEN",	    "ELSE",   "BETWEEN",   "LIKE",   "IS",
    "SELECT",	    "FROM",   "WHERE",	   "KEY",    "HASH",
    "LIST",	    "RANGE",  "BY",	   "CASE",   "INTERVAL",
    "DISTINCT",	    "JOIN",   "PARTITION", "OVER",   "WITH",
    "UNION",	    "REGEXP", "RLIKE",	   "ESCAPE", "END",
    "SUBPARTITION", "DIV",    "MOD",	   "NULL",   "HAVING",
    "LIMIT",	    NULL};

static bool never_function(const char *w)
{
	for (int i = 0; not_functions[i]; i++)
		if (strcasecmp(w, not_functions[i]) == 0)
			return true;
	return false;
}

static bool is_keyword(const char *w)
{
	for (int i = 0; keywords[i]; i++)
		if (strcasecmp(w, keywords[i]) == 0)
			return true;
	return false;
}

void my_add_string_literal(strbuf *sb, const char *s)
{
	my_quote_text(sb, s);
}

/* A string inside an expression as MariaDB prints one (a CHECK, a
 * generated column, a default expression, a view): a quote as \', a
 * backslash as \\. */
static void expr_string_literal(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

static void add_lower(strbuf *sb, const char *s, bool upper)
{
	for (const char *p = s; *p; p++)
		strbuf_addch(sb, (char)(upper ? toupper((unsigned char)*p)
					      : tolower((unsigned char)*p)));
}

/* Does a token end an operand (so that a following - or + is binary)? */
static bool ends_operand(const my_tok *t)
{
	if (t->kind == MT_OP)
		return strcmp(t->text, ")") == 0;
	if (t->kind == MT_WORD)
		return !is_keyword(t->text) ||
		       strcasecmp(t->text, "NULL") == 0 ||
		       strcasecmp(t->text, "TRUE") == 0 ||
		       strcasecmp(t->text, "FALSE") == 0 ||
		       strcasecmp(t->text, "END") == 0;
	return true;
}

static char *render(my_ctx *c, int from, int to, bool upper)
{
	strbuf sb = STRBUF_INIT;
	const my_tok *prev = NULL;
	bool glue = true; /* no space before the next token */
	int depth = 0;	  /* parentheses open */
	for (int i = from; i < to; i++) {
		const my_tok *t = &c->toks[i];
		if (t->kind == MT_OP && !strcmp(t->text, "("))
			depth++;
		else if (t->kind == MT_OP && !strcmp(t->text, ")"))
			depth--;
		/* A partition's [STORAGE] ENGINE [=] x is the table's engine,
		 * which the server writes into every partition: left out. */
		if (upper && t->kind == MT_WORD &&
		    (!strcasecmp(t->text, "ENGINE") ||
		     (!strcasecmp(t->text, "STORAGE") && i + 1 < to &&
		      !strcasecmp(c->toks[i + 1].text, "ENGINE")))) {
			if (!strcasecmp(t->text, "STORAGE"))
				i++;
			if (i + 1 < to && !strcmp(c->toks[i + 1].text, "="))
				i++;
			i++;
			continue;
		}
		const my_tok *next = i + 1 < to ? &c->toks[i + 1] : NULL;
		bool next_paren =
		    next && next->kind == MT_OP && strcmp(next->text, "(") == 0;
		bool is_op = t->kind == MT_OP;
		const char *op = is_op ? t->text : "";
		bool tight_before =
		    is_op && (strcmp(op, ")") == 0 || strcmp(op, ",") == 0 ||
			      strcmp(op, ".") == 0);
		/* A call: no space between the name and its "(". */
		if (is_op && strcmp(op, "(") == 0 && prev &&
		    (prev->kind == MT_QIDENT ||
		     (prev->kind == MT_WORD && !never_function(prev->text))))
			tight_before = true;
		if (!glue && !tight_before && sb.len)
			strbuf_addch(&sb, ' ');
		glue = false;
		switch (t->kind) {
		case MT_WORD:
			if ((!strcasecmp(t->text, "DIV") ||
			     !strcasecmp(t->text, "MOD")) &&
			    !next_paren)
				add_lower(&sb, t->text, true);
			else if (!strcasecmp(t->text, "AS") && depth == 0)
				/* A view's column alias, as MariaDB prints it
				 * (CAST's "as" stays lower case). */
				strbuf_adds(&sb, "AS");
			else if (is_keyword(t->text) &&
				 (!next_paren || never_function(t->text)))
				add_lower(&sb, t->text, upper);
			else if (next_paren) {
				const char *fn = t->text;
				for (int k = 0; fn_synonyms[k]; k += 2)
					if (!strcasecmp(fn, fn_synonyms[k]))
						fn = fn_synonyms[k + 1];
				add_lower(&sb, fn, false);
			} else if (t->text[0] == '@')
				strbuf_adds(&sb, t->text);
			else if (prev && prev->kind == MT_WORD &&
				 (!strcasecmp(prev->text, "CHARSET") ||
				  !strcasecmp(prev->text, "SET") ||
				  !strcasecmp(prev->text, "COLLATE") ||
				  !strcasecmp(prev->text, "USING")))
				/* A charset or collation name, not a column. */
				add_lower(&sb, t->text, false);
			else
				my_quote_ident(&sb, t->text);
			break;
		case MT_QIDENT:
			my_quote_ident(&sb, t->text);
			break;
		case MT_STRING:
			expr_string_literal(&sb, t->text);
			break;
		case MT_HEX:
			strbuf_addf(&sb, "0x%s", t->text);
			break;
		case MT_BIT:
			strbuf_addf(&sb, "b'%s'", t->text);
			break;
		default: {
			const char *o = t->text;
			for (int k = 0; is_op && op_synonyms[k]; k += 2)
				if (!strcmp(o, op_synonyms[k]))
					o = op_synonyms[k + 1];
			strbuf_adds(&sb, o);
			break;
		}
		}
		if (is_op && (strcmp(op, "(") == 0 || strcmp(op, ".") == 0 ||
			      strcmp(op, ",") == 0 || strcmp(op, "@") == 0 ||
			      strcmp(op, "@@") == 0))
			glue = true;
		/* A sign or negation: nothing between it and its operand. */
		if (is_op &&
		    (strcmp(op, "-") == 0 || strcmp(op, "+") == 0 ||
		     strcmp(op, "~") == 0 || strcmp(op, "!") == 0) &&
		    (!prev || !ends_operand(prev)))
			glue = true;
		prev = t;
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

char *my_render(my_ctx *c, int from, int to)
{
	return render(c, from, to, false);
}

/* Partitioning clauses read best in the server's upper case. */
char *my_render_upper(my_ctx *c, int from, int to)
{
	return render(c, from, to, true);
}

/* Is the rendered `s` one parenthesised whole, "(a) + (b)" not? Quotes
 * are skipped: a string may hold parentheses. */
static bool wrapped(const char *s, size_t n)
{
	if (n < 2 || s[0] != '(' || s[n - 1] != ')')
		return false;
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		char q = s[i];
		if (q == '\'' || q == '`') {
			for (i++; i < n && s[i] != q; i++)
				if (q == '\'' && s[i] == '\\')
					i++;
			continue;
		}
		if (q == '(')
			depth++;
		else if (q == ')' && --depth == 0 && i != n - 1)
			return false;
	}
	return depth == 0;
}

char *my_paren_expr(my_ctx *c)
{
	if (my_expect_op(c, "("))
		return NULL;
	int from = c->pos, depth = 1;
	while (!my_at_end(c)) {
		if (my_is_op(c, 0, "("))
			depth++;
		else if (my_is_op(c, 0, ")") && --depth == 0)
			break;
		my_next(c);
	}
	int to = c->pos;
	if (my_expect_op(c, ")"))
		return NULL;
	if (to == from) {
		my_fail(c, &c->toks[from], "empty expression");
		return NULL;
	}
	/* MySQL prints CHECK and generated expressions in parentheses of
	 * their own, MariaDB without: one spelling, without. */
	char *r = my_render(c, from, to);
	size_t n = strlen(r);
	while (wrapped(r, n)) {
		r++;
		n -= 2;
		r[n] = '\0';
	}
	return r;
}

char *my_render_body(my_ctx *c, int from, int to)
{
	strbuf sb = STRBUF_INIT;
	for (int i = from; i < to; i++) {
		const my_tok *t = &c->toks[i];
		if (i > from && t->nl_before)
			/* A new line keeps its indentation. */
			strbuf_addf(&sb, "\n%*s", t->col - 1, "");
		else if (i > from && t->space_before)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, c->src + t->start, t->end - t->start);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}
