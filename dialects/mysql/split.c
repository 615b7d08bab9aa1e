/*
 * A script cut into statements, by the parser's own lexer (lex.c): it
 * knows quotes, backticks, comments, executable comments and DELIMITER
 * lines, so a ";" inside a string or a comment never cuts a statement.
 *
 * A routine or trigger body written without DELIMITER holds ";" between
 * its own statements: inside BEGIN ... END (and CASE ... END) the
 * delimiter does not end the statement. IF, LOOP, WHILE and REPEAT
 * blocks close with END IF and the like, which neither open nor close a
 * BEGIN, so they need no counting.
 */
#include <string.h>
#include <strings.h>

#include "../../util/xalloc.h"
#include "mysql.h"
#include "parse_internal.h"

static bool word(const my_tok *t, const char *w)
{
	return t->kind == MT_WORD && !strcasecmp(t->text, w);
}

/* BEGIN opens a compound statement, unless it starts a transaction
 * ("BEGIN;", "BEGIN WORK"). */
static bool opens(const my_tok *t, const my_tok *next, bool first)
{
	if (word(t, "CASE"))
		return true;
	if (!word(t, "BEGIN"))
		return false;
	return !(first && (next->kind == MT_DELIM || next->kind == MT_EOF ||
			   word(next, "WORK")));
}

static bool closes(const my_tok *t, const my_tok *next)
{
	return word(t, "END") && !(word(next, "IF") || word(next, "LOOP") ||
				   word(next, "WHILE") || word(next, "REPEAT"));
}

int my_split(const char *sql, const char *filename, my_span **out, int *n,
	     error *e)
{
	model *m = model_new();
	my_ctx c = {
	    .m = m, .e = e, .filename = filename, .src = sql, .cur_db = ""};
	int cap = 0, depth = 0, first = -1;
	*out = NULL;
	*n = 0;
	if (my_lex(&c)) {
		model_free(m);
		return -1;
	}
	for (int i = 0; i < c.ntoks; i++) {
		const my_tok *t = &c.toks[i];
		bool end = t->kind == MT_EOF || (t->kind == MT_DELIM && !depth);
		if (!end) {
			if (t->kind == MT_DELIM)
				continue;
			const my_tok *next =
			    &c.toks[i + 1 < c.ntoks ? i + 1 : i];
			if (first < 0)
				first = i;
			if (opens(t, next, first == i))
				depth++;
			else if (depth && closes(t, next))
				depth--;
			continue;
		}
		if (first >= 0) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				*out =
				    xrealloc(*out, (size_t)cap * sizeof(**out));
			}
			my_span *s = &(*out)[(*n)++];
			s->start = c.toks[first].start;
			s->end = t->start;
			/* The span ends where the statement's last byte
			 * does: blanks before the delimiter are not its. */
			while (s->end > s->start &&
			       strchr(" \t\r\n", sql[s->end - 1]))
				s->end--;
			s->line = c.toks[first].line;
		}
		first = -1;
		depth = 0;
		if (t->kind == MT_EOF)
			break;
	}
	model_free(m);
	return 0;
}
