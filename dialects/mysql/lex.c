/*
 * The lexer of the MySQL/MariaDB parser: the whole file becomes one
 * array of tokens before parsing starts. It knows what the mysql client
 * and the server both do to a dump: `DELIMITER xx` lines (a client
 * command, never sent to the server) change what ends a statement, and
 * executable comments ("/" "*!NNNNN ... *" "/", and "M!" for MariaDB) are read
 * as SQL (mysqldump and mariadb-dump wrap SET statements, table options and
 * PARTITION clauses in them; every server schemig targets is recent
 * enough to run them).
 */
#include <ctype.h>
#include <string.h>

#include "parse_internal.h"

typedef struct lexer {
	my_ctx *c;
	const char *s;
	size_t i, n;
	int line;
	size_t line_start;
	char delim[32];
	bool in_exec; /* inside an executable comment */
	bool space, nl;
} lexer;

static int lex_fail(lexer *L, size_t at, int line, size_t lstart,
		    const char *msg)
{
	(void)at;
	return error_set(L->c->e, EXIT_USAGE, "%s:%d:%d: %s", L->c->filename,
			 line, (int)(at - lstart) + 1, msg);
}

static void advance(lexer *L, size_t k)
{
	for (size_t j = 0; j < k && L->i < L->n; j++) {
		if (L->s[L->i] == '\n') {
			L->line++;
			L->line_start = L->i + 1;
		}
		L->i++;
	}
}

static my_tok *push(lexer *L, int kind, size_t start, int line, size_t lstart)
{
	my_ctx *c = L->c;
	my_tok *t = ARENA_PUSH(&c->m->arena, c->toks, c->ntoks, c->ctoks);
	t->kind = kind;
	t->start = start;
	t->end = L->i;
	t->line = line;
	t->col = (int)(start - lstart) + 1;
	t->space_before = L->space;
	t->nl_before = L->nl;
	L->space = L->nl = false;
	return t;
}

static bool is_word_char(unsigned char ch)
{
	return isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
}

/* At a statement's start (nothing since the last delimiter)? */
static bool at_statement_start(lexer *L)
{
	my_ctx *c = L->c;
	return c->ntoks == 0 || c->toks[c->ntoks - 1].kind == MT_DELIM;
}

/*
 * `DELIMITER xx` as the mysql client reads it: the rest of the line's
 * first word is the new delimiter, whatever it holds.
 */
static int lex_delimiter_cmd(lexer *L)
{
	size_t at = L->i;
	int line = L->line;
	size_t ls = L->line_start;
	advance(L, 9);
	while (L->i < L->n && (L->s[L->i] == ' ' || L->s[L->i] == '\t'))
		advance(L, 1);
	size_t b = L->i;
	while (L->i < L->n && !isspace((unsigned char)L->s[L->i]))
		advance(L, 1);
	size_t len = L->i - b;
	if (len == 0 || len >= sizeof(L->delim))
		return lex_fail(L, at, line, ls,
				"DELIMITER needs a delimiter (1 to 31 "
				"characters) on the same line");
	memcpy(L->delim, L->s + b, len);
	L->delim[len] = '\0';
	while (L->i < L->n && L->s[L->i] != '\n')
		advance(L, 1);
	L->space = true;
	return 0;
}

/* A quoted string or identifier; `q` is the quote. Backslash escapes
 * apply in strings, not in backtick names; a doubled quote is one. */
static int lex_quoted(lexer *L, char q, strbuf *out)
{
	size_t at = L->i;
	int line = L->line;
	size_t ls = L->line_start;
	advance(L, 1);
	for (;;) {
		if (L->i >= L->n)
			return lex_fail(L, at, line, ls,
					q == '`'
					    ? "unterminated quoted identifier"
					    : "unterminated string");
		char ch = L->s[L->i];
		if (ch == q) {
			if (L->i + 1 < L->n && L->s[L->i + 1] == q) {
				strbuf_addch(out, q);
				advance(L, 2);
				continue;
			}
			advance(L, 1);
			return 0;
		}
		if (ch == '\\' && q != '`' && L->i + 1 < L->n) {
			char e = L->s[L->i + 1];
			const char *map = "n\nt\tr\rb\bZ\032";
			const char *f = NULL;
			for (const char *p = map; *p; p += 2)
				if (*p == e)
					f = p;
			/* A NUL cannot live in the model's strings:
			 * it keeps its escape. */
			if (e == '0') {
				strbuf_addch(out, '\\');
				strbuf_addch(out, '0');
			} else if (f)
				strbuf_addch(out, f[1]);
			else if (e == '%' || e == '_') {
				/* LIKE wildcards keep their backslash. */
				strbuf_addch(out, '\\');
				strbuf_addch(out, e);
			} else
				strbuf_addch(out, e);
			advance(L, 2);
			continue;
		}
		strbuf_addch(out, ch);
		advance(L, 1);
	}
}

/* Comments; 1 when one was skipped, 0 when none starts here, -1 on an
 * error. Executable comments only open: their content is lexed. */
static int lex_comment(lexer *L)
{
	const char *p = L->s + L->i;
	size_t rest = L->n - L->i;
	if (*p == '#' || (rest >= 2 && p[0] == '-' && p[1] == '-' &&
			  (rest == 2 || isspace((unsigned char)p[2]) ||
			   iscntrl((unsigned char)p[2])))) {
		while (L->i < L->n && L->s[L->i] != '\n')
			advance(L, 1);
		return 1;
	}
	if (rest >= 2 && p[0] == '/' && p[1] == '*') {
		size_t skip = 0;
		if (rest >= 3 && p[2] == '!')
			skip = 3;
		else if (rest >= 4 && p[2] == 'M' && p[3] == '!')
			skip = 4;
		if (skip) {
			if (L->in_exec)
				return lex_fail(L, L->i, L->line, L->line_start,
						"executable comment inside "
						"another one");
			size_t j = L->i + skip;
			while (j < L->n && isdigit((unsigned char)L->s[j]))
				j++;
			/* mariadb-dump's "/" "*M!999999\- enable the sandbox
			 * mode *" "/" holds a client command, not SQL: a plain
			 * comment to us. */
			if (!(j < L->n && L->s[j] == '\\')) {
				advance(L, j - L->i);
				L->in_exec = true;
				return 1;
			}
		}
		size_t at = L->i;
		int line = L->line;
		size_t ls = L->line_start;
		advance(L, 2);
		for (;;) {
			if (L->i + 1 >= L->n)
				return lex_fail(L, at, line, ls,
						"unterminated comment");
			if (L->s[L->i] == '*' && L->s[L->i + 1] == '/') {
				advance(L, 2);
				return 1;
			}
			advance(L, 1);
		}
	}
	if (L->in_exec && rest >= 2 && p[0] == '*' && p[1] == '/') {
		advance(L, 2);
		L->in_exec = false;
		return 1;
	}
	return 0;
}

/* Operators of more than one character, longest first. */
static const char *const ops[] = {"<=>", "<<", ">>", "<=",  ">=", "<>", "!=",
				  ":=",	 "&&", "||", "->>", "->", "@@", NULL};

static int lex_number(lexer *L, strbuf *sb, int *kind)
{
	const char *p = L->s;
	size_t i = L->i;
	if (p[i] == '0' && i + 1 < L->n &&
	    (p[i + 1] == 'x' || p[i + 1] == 'b')) {
		bool hex = p[i + 1] == 'x';
		size_t j = i + 2;
		while (j < L->n && (hex ? isxdigit((unsigned char)p[j])
					: (p[j] == '0' || p[j] == '1')))
			j++;
		if (j > i + 2 &&
		    (j >= L->n || !is_word_char((unsigned char)p[j]))) {
			strbuf_add(sb, p + i + 2, j - i - 2);
			*kind = hex ? MT_HEX : MT_BIT;
			advance(L, j - i);
			return 0;
		}
	}
	size_t j = i;
	while (j < L->n && isdigit((unsigned char)p[j]))
		j++;
	if (j < L->n && p[j] == '.') {
		j++;
		while (j < L->n && isdigit((unsigned char)p[j]))
			j++;
	}
	if (j < L->n && (p[j] == 'e' || p[j] == 'E')) {
		size_t k = j + 1;
		if (k < L->n && (p[k] == '+' || p[k] == '-'))
			k++;
		if (k < L->n && isdigit((unsigned char)p[k])) {
			j = k;
			while (j < L->n && isdigit((unsigned char)p[j]))
				j++;
		}
	}
	/* A name may start with digits (1col): read it as a word. */
	size_t dl = strlen(L->delim);
	bool at_delim = L->n - j >= dl && memcmp(p + j, L->delim, dl) == 0;
	if (j < L->n && is_word_char((unsigned char)p[j]) && !at_delim) {
		while (j < L->n && is_word_char((unsigned char)p[j]) &&
		       !(L->n - j >= dl && memcmp(p + j, L->delim, dl) == 0))
			j++;
		*kind = MT_WORD;
	} else
		*kind = MT_NUMBER;
	strbuf_add(sb, p + i, j - i);
	advance(L, j - i);
	return 0;
}

static int lex_one(lexer *L)
{
	my_ctx *c = L->c;
	size_t start = L->i;
	int line = L->line;
	size_t ls = L->line_start;
	const char *p = L->s + L->i;
	size_t rest = L->n - L->i;
	size_t dl = strlen(L->delim);
	strbuf sb = STRBUF_INIT;
	int kind;

	if (rest >= dl && memcmp(p, L->delim, dl) == 0) {
		advance(L, dl);
		kind = MT_DELIM;
		strbuf_adds(&sb, L->delim);
	} else if (*p == '\'' || *p == '"' || *p == '`') {
		if (lex_quoted(L, *p, &sb)) {
			strbuf_release(&sb);
			return -1;
		}
		kind = *p == '`' ? MT_QIDENT : MT_STRING;
	} else if ((*p == 'x' || *p == 'X' || *p == 'b' || *p == 'B') &&
		   rest >= 2 && p[1] == '\'') {
		bool hex = *p == 'x' || *p == 'X';
		advance(L, 1);
		if (lex_quoted(L, '\'', &sb)) {
			strbuf_release(&sb);
			return -1;
		}
		kind = hex ? MT_HEX : MT_BIT;
	} else if (isdigit((unsigned char)*p) ||
		   (*p == '.' && rest >= 2 && isdigit((unsigned char)p[1]) &&
		    !(c->ntoks > 0 && !L->space &&
		      (c->toks[c->ntoks - 1].kind == MT_WORD ||
		       c->toks[c->ntoks - 1].kind == MT_QIDENT)))) {
		lex_number(L, &sb, &kind);
	} else if (is_word_char((unsigned char)*p)) {
		size_t j = 0;
		/* "END$$" ends at the delimiter, as the client splits it. */
		while (j < rest && is_word_char((unsigned char)p[j]) &&
		       !(j > 0 && rest - j >= dl &&
			 memcmp(p + j, L->delim, dl) == 0))
			j++;
		/* A character set introducer (_utf8mb4'x', N'x') only says
		 * how to read the string that follows: drop it. */
		if (j < rest && p[j] == '\'' &&
		    (*p == '_' || (j == 1 && (*p == 'n' || *p == 'N')))) {
			advance(L, j);
			if (lex_quoted(L, '\'', &sb)) {
				strbuf_release(&sb);
				return -1;
			}
			kind = MT_STRING;
		} else {
			strbuf_add(&sb, p, j);
			advance(L, j);
			kind = MT_WORD;
		}
	} else {
		size_t k = 1;
		for (int o = 0; ops[o]; o++)
			if (rest >= strlen(ops[o]) &&
			    memcmp(p, ops[o], strlen(ops[o])) == 0) {
				k = strlen(ops[o]);
				break;
			}
		if ((unsigned char)*p < 0x20 && !isspace((unsigned char)*p)) {
			strbuf_release(&sb);
			return lex_fail(L, start, line, ls,
					"unexpected control character");
		}
		strbuf_add(&sb, p, k);
		advance(L, k);
		kind = MT_OP;
	}
	my_tok *t = push(L, kind, start, line, ls);
	t->text = arena_strndup(&c->m->arena, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	return 0;
}

/* INSERT or REPLACE at a statement's start: a dump's rows. */
static bool data_statement(lexer *L)
{
	const char *p = L->s + L->i;
	size_t rest = L->n - L->i;
	for (int k = 0; k < 2; k++) {
		const char *w = k ? "replace" : "insert";
		size_t wl = strlen(w);
		if (rest > wl && strncasecmp(p, w, wl) == 0 &&
		    !is_word_char((unsigned char)p[wl]))
			return true;
	}
	return false;
}

/*
 * A dump's rows say nothing about the schema and may be most of the
 * file: the statement becomes its first word alone (which the parser
 * skips), its values are passed over without making tokens, quotes and
 * comments respected, up to the delimiter.
 */
static int lex_skip_data(lexer *L)
{
	if (lex_one(L)) /* INSERT / REPLACE */
		return -1;
	size_t dl = strlen(L->delim);
	strbuf scratch = STRBUF_INIT;
	while (L->i < L->n) {
		char ch = L->s[L->i];
		if (L->n - L->i >= dl && memcmp(L->s + L->i, L->delim, dl) == 0)
			break;
		if (ch == '\'' || ch == '"' || ch == '`') {
			strbuf_reset(&scratch);
			if (lex_quoted(L, ch, &scratch)) {
				strbuf_release(&scratch);
				return -1;
			}
			continue;
		}
		int r = lex_comment(L);
		if (r < 0) {
			strbuf_release(&scratch);
			return -1;
		}
		if (r == 0)
			advance(L, 1);
	}
	strbuf_release(&scratch);
	L->space = true;
	return 0;
}

int my_lex(my_ctx *c)
{
	lexer L = {.c = c, .s = c->src, .n = strlen(c->src), .line = 1};
	strcpy(L.delim, ";");
	while (L.i < L.n) {
		unsigned char ch = (unsigned char)L.s[L.i];
		if (isspace(ch)) {
			if (ch == '\n')
				L.nl = true;
			L.space = true;
			advance(&L, 1);
			continue;
		}
		/* The delimiter wins over comments: "//" and "$$" are
		 * common ones. */
		size_t dl = strlen(L.delim);
		bool delim_here =
		    L.n - L.i >= dl && memcmp(L.s + L.i, L.delim, dl) == 0;
		if (!delim_here) {
			int r = lex_comment(&L);
			if (r < 0)
				return -1;
			if (r) {
				L.space = true;
				continue;
			}
		}
		if (at_statement_start(&L) && L.n - L.i > 9 &&
		    strncasecmp(L.s + L.i, "delimiter", 9) == 0 &&
		    isspace((unsigned char)L.s[L.i + 9])) {
			if (lex_delimiter_cmd(&L))
				return -1;
			continue;
		}
		if (at_statement_start(&L) && data_statement(&L)) {
			if (lex_skip_data(&L))
				return -1;
			continue;
		}
		if (lex_one(&L))
			return -1;
	}
	if (L.in_exec)
		return error_set(c->e, EXIT_USAGE,
				 "%s:%d:%d: unterminated executable comment",
				 c->filename, L.line,
				 (int)(L.i - L.line_start) + 1);
	size_t start = L.i;
	my_tok *t = push(&L, MT_EOF, start, L.line, L.line_start);
	t->text = "";
	return 0;
}
