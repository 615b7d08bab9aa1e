/*
 * Loading a schema file into a scratch database (server.h): the file's
 * statements as the dialect's lexer splits them (DELIMITER blocks and
 * executable comments understood, no second splitter), each sent on its
 * own.
 *
 * A pull request's file is hostile input. Before anything runs, every
 * statement is screened: only DDL of objects of the database the file is
 * loaded into, and the session SETs dumps begin with, get through; a
 * statement that could reach beyond that database (another database's
 * name, USE, GRANT, CREATE USER, SET GLOBAL, LOAD DATA, INTO OUTFILE,
 * CALL, a plugin, DATA DIRECTORY, a FEDERATED or CONNECT table) fails
 * the load with file:line. The screen is the first
 * line only: the load runs as an account that may touch the scratch
 * database alone (scratch.c), which is what holds when the screen
 * misses something.
 *
 * What the screen changes: a dump's DEFINER clauses are left out (the
 * loader may not name another account; the model keeps no definer), and
 * so is the qualification with the file's own database (the first one
 * CREATE DATABASE or USE names, as the parser reads it), whose CREATE
 * DATABASE, USE and DROP DATABASE are skipped. Rows (INSERT, REPLACE)
 * and the statements around them in a dump (LOCK TABLES, transactions)
 * are skipped: the schema is what is compared.
 */
#include "server.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "parse_internal.h"

enum verdict { RUN, SKIP, REFUSE };

typedef struct screen {
	my_ctx *c;
	const char *filename;
	char *home;	    /* the file's own database, NULL until named */
	const char *target; /* the database loaded into */
	char **visible;	    /* the databases the loading account sees */
	int nvisible;
	bool *omit; /* per token: left out of the text sent */
	bool began; /* a statement to run was seen */
} screen;

static bool word_is(const my_tok *t, const char *w)
{
	return t->kind == MT_WORD && !strcasecmp(t->text, w);
}

static bool is_name(const my_tok *t)
{
	return t->kind == MT_WORD || t->kind == MT_QIDENT;
}

static bool op_is(const my_tok *t, const char *op)
{
	return t->kind == MT_OP && !strcmp(t->text, op);
}

/* Schemas every server has: never the file's to name. */
static bool system_db(const char *n)
{
	static const char *const sys[] = {"mysql", "information_schema",
					  "performance_schema", "sys", NULL};
	for (int i = 0; sys[i]; i++)
		if (!strcasecmp(n, sys[i]))
			return true;
	return false;
}

static bool visible_db(const screen *sc, const char *n)
{
	for (int i = 0; i < sc->nvisible; i++)
		if (!strcmp(sc->visible[i], n))
			return true;
	return system_db(n);
}

/* The statement's first words, for messages. */
static void first_words(const screen *sc, int from, int to, strbuf *sb)
{
	for (int i = from, n = 0; i < to && n < 3; i++) {
		const my_tok *t = &sc->c->toks[i];
		if (sc->omit[i])
			continue;
		if (n++)
			strbuf_addch(sb, ' ');
		size_t len = t->end - t->start;
		strbuf_add(sb, sc->c->src + t->start, len > 40 ? 40 : len);
	}
}

static int refuse(screen *sc, int from, int to, const char *why, error *e)
{
	strbuf w = STRBUF_INIT;
	first_words(sc, from, to, &w);
	error_set(e, EXIT_USAGE,
		  "%s:%d: \"%s\" is not loaded into a scratch database: %s",
		  sc->filename, sc->c->toks[from].line, w.buf, why);
	strbuf_release(&w);
	return REFUSE;
}

/* CREATE DATABASE / USE / DROP DATABASE / ALTER DATABASE naming `name`
 * (NULL: none): the file's own database is skipped, another refused. */
static int database_stmt(screen *sc, int from, int to, const my_tok *name,
			 error *e)
{
	if (!name)
		return SKIP;
	/* A dump names its database before any object; a database named
	 * after the file's objects began is another one. */
	if (!sc->home && !sc->began)
		sc->home = xstrdup(name->text);
	if (!sc->home)
		return refuse(sc, from, to, "it names another database", e);
	if (!strcmp(sc->home, name->text))
		return SKIP;
	return refuse(sc, from, to, "it names another database", e);
}

/* The token after IF [NOT] EXISTS at `i`, or `i`. */
static int after_if_exists(const screen *sc, int i, int to)
{
	const my_tok *t = sc->c->toks;
	if (i < to && word_is(&t[i], "IF")) {
		i++;
		if (i < to && word_is(&t[i], "NOT"))
			i++;
		if (i < to && word_is(&t[i], "EXISTS"))
			i++;
	}
	return i;
}

/* DEFINER = user[@host] | CURRENT_USER[()] at `i`: left out. The token
 * after it. */
static int omit_definer(screen *sc, int i, int to)
{
	const my_tok *t = sc->c->toks;
	if (!(i + 2 < to && word_is(&t[i], "DEFINER") && op_is(&t[i + 1], "=")))
		return i;
	int j = i + 3;
	if (j + 1 < to && op_is(&t[j], "(") && op_is(&t[j + 1], ")"))
		j += 2;
	else if (j + 1 < to && op_is(&t[j], "@"))
		j += 2;
	else if (j < to && t[j].kind == MT_WORD && t[j].text[0] == '@')
		j++;
	for (int k = i; k < j; k++)
		sc->omit[k] = true;
	return j;
}

/* The words that may open a CREATE, ALTER or DROP before its object. */
static int skip_prefix(screen *sc, int i, int to)
{
	static const char *const words[] = {
	    "OR",      "REPLACE",   "TEMPORARY", "UNIQUE",    "FULLTEXT",
	    "SPATIAL", "ONLINE",    "IGNORE",	 "AGGREGATE", "UNDEFINED",
	    "MERGE",   "TEMPTABLE", "INVOKER",	 "NONE",      NULL};
	const my_tok *t = sc->c->toks;
	for (;;) {
		int j = omit_definer(sc, i, to);
		if (j != i) {
			i = j;
			continue;
		}
		if (i + 2 < to && word_is(&t[i], "ALGORITHM") &&
		    op_is(&t[i + 1], "=")) {
			i += 3;
			continue;
		}
		if (i + 2 < to && word_is(&t[i], "SQL") &&
		    word_is(&t[i + 1], "SECURITY")) {
			i += 3;
			continue;
		}
		bool known = false;
		for (int k = 0; words[k] && i < to; k++)
			if (word_is(&t[i], words[k]))
				known = true;
		if (!known)
			return i;
		i++;
	}
}

/* CREATE / ALTER / DROP: objects of the database only. */
static int ddl_stmt(screen *sc, int from, int to, error *e)
{
	static const char *const objects[] = {
	    "TABLE",   "TABLES",    "VIEW",	"INDEX",    "KEY",
	    "TRIGGER", "PROCEDURE", "FUNCTION", "SEQUENCE", NULL};
	const my_tok *t = sc->c->toks;
	int i = skip_prefix(sc, from + 1, to);
	if (i >= to)
		return refuse(sc, from, to, "it names no object", e);
	if (word_is(&t[i], "DATABASE") || word_is(&t[i], "SCHEMA")) {
		i = after_if_exists(sc, i + 1, to);
		return database_stmt(
		    sc, from, to, i < to && is_name(&t[i]) ? &t[i] : NULL, e);
	}
	for (int k = 0; objects[k]; k++)
		if (word_is(&t[i], objects[k]))
			return RUN;
	return refuse(sc, from, to,
		      "only tables, views, indexes, triggers, procedures, "
		      "functions and sequences of the file's own database are",
		      e);
}

/* SET: the session's own variables only (SET NAMES, SET @saved = ...,
 * SET character_set_client = ...), as dumps begin. */
static int set_stmt(screen *sc, int from, int to, error *e)
{
	static const char *const denied[] = {
	    "GLOBAL", "PERSIST", "PERSIST_ONLY", "PASSWORD", "ROLE", NULL};
	const my_tok *t = sc->c->toks;
	for (int i = from + 1; i < to; i++) {
		for (int k = 0; denied[k]; k++)
			if (word_is(&t[i], denied[k]))
				return refuse(sc, from, to,
					      "only the session's own "
					      "variables may be set",
					      e);
		if (op_is(&t[i], "@@") && i + 1 < to &&
		    (word_is(&t[i + 1], "global") ||
		     word_is(&t[i + 1], "persist") ||
		     word_is(&t[i + 1], "persist_only")))
			return refuse(sc, from, to,
				      "only the session's own variables may "
				      "be set",
				      e);
	}
	return RUN;
}

/*
 * Words that reach the server's files or code wherever they stand (DATA
 * and INDEX DIRECTORY put a table's files anywhere the server may
 * write), and the engines that reach other servers or files (a table's
 * CONNECTION string).
 */
static int denied_words(screen *sc, int from, int to, error *e)
{
	static const char *const words[] = {
	    "OUTFILE", "DUMPFILE",  "INFILE", "LOAD_FILE",
	    "SONAME",  "DIRECTORY", NULL};
	static const char *const engines[] = {"FEDERATED", "FEDERATEDX",
					      "CONNECT", "SPIDER", NULL};
	const my_tok *t = sc->c->toks;
	for (int i = from; i < to; i++) {
		for (int k = 0; words[k]; k++)
			if (word_is(&t[i], words[k]))
				return refuse(sc, from, to,
					      "it reads or writes the "
					      "server's files",
					      e);
		if (!word_is(&t[i], "ENGINE") || i + 1 >= to)
			continue;
		int v = op_is(&t[i + 1], "=") ? i + 2 : i + 1;
		for (int k = 0; engines[k] && v < to; k++)
			if (is_name(&t[v]) &&
			    !strcasecmp(t[v].text, engines[k]))
				return refuse(
				    sc, from, to,
				    "its engine reaches other servers "
				    "or files",
				    e);
	}
	return RUN;
}

/*
 * Names qualified with a database: X.Y where X is certainly a database
 * (a three-part name, or after a word that is followed by a table's name:
 * FROM, JOIN, INTO, TABLE, ...), or where X names a database the loading
 * account can see (or a system schema). The file's own database is left
 * out; any other is refused.
 */
static int qualified_names(screen *sc, int from, int to, error *e)
{
	static const char *const before_table[] = {
	    "TABLE",	  "TABLES",   "VIEW", "INTO",	  "FROM", "JOIN",
	    "REFERENCES", "EXISTS",   "LIKE", "UPDATE",	  "TO",	  "TRIGGER",
	    "PROCEDURE",  "FUNCTION", "CALL", "SEQUENCE", NULL};
	const my_tok *t = sc->c->toks;
	bool index_or_trigger = false;
	for (int i = from; i < to && i < from + 6; i++)
		if (word_is(&t[i], "INDEX") || word_is(&t[i], "TRIGGER"))
			index_or_trigger = true;
	bool first_on = true;
	for (int i = from; i + 2 < to; i++) {
		if (!is_name(&t[i]) || !op_is(&t[i + 1], ".") ||
		    t[i + 1].space_before ||
		    !(is_name(&t[i + 2]) || op_is(&t[i + 2], "*")))
			continue;
		bool db =
		    i + 4 < to && op_is(&t[i + 3], ".") && is_name(&t[i + 4]);
		if (i > from) {
			const my_tok *p = &t[i - 1];
			for (int k = 0; before_table[k]; k++)
				if (word_is(p, before_table[k]))
					db = true;
			/* CREATE INDEX i ON t / CREATE TRIGGER ... ON t. */
			if (index_or_trigger && first_on && word_is(p, "ON"))
				db = true;
		}
		if (i > from && word_is(&t[i - 1], "ON"))
			first_on = false;
		if (!db && !visible_db(sc, t[i].text))
			continue;
		if (sc->home && !strcmp(t[i].text, sc->home)) {
			sc->omit[i] = sc->omit[i + 1] = true;
			continue;
		}
		if (sc->target && !strcmp(t[i].text, sc->target))
			continue;
		strbuf why = STRBUF_INIT;
		strbuf_addf(&why, "it names database %s", t[i].text);
		refuse(sc, from, to, why.buf, e);
		strbuf_release(&why);
		return REFUSE;
	}
	return RUN;
}

/* The verdict on tokens [from, to) (one statement). */
static int judge(screen *sc, int from, int to, error *e)
{
	static const char *const skipped[] = {
	    "INSERT", "REPLACE",  "LOCK",    "UNLOCK",	 "COMMIT", "BEGIN",
	    "START",  "ROLLBACK", "ANALYZE", "OPTIMIZE", NULL};
	const my_tok *first = &sc->c->toks[from];
	for (int k = 0; skipped[k]; k++)
		if (word_is(first, skipped[k]))
			return SKIP;
	int v;
	if (word_is(first, "USE"))
		v = database_stmt(
		    sc, from, to,
		    from + 1 < to && is_name(&first[1]) ? &first[1] : NULL, e);
	else if (word_is(first, "CREATE") || word_is(first, "ALTER") ||
		 word_is(first, "DROP"))
		v = ddl_stmt(sc, from, to, e);
	else if (word_is(first, "RENAME") && from + 1 < to &&
		 word_is(&first[1], "TABLE"))
		v = RUN;
	else if (word_is(first, "SET"))
		v = set_stmt(sc, from, to, e);
	else
		v = refuse(sc, from, to,
			   "only DDL of the file's own database and session "
			   "SETs are",
			   e);
	if (v == RUN)
		v = denied_words(sc, from, to, e);
	if (v == RUN)
		v = qualified_names(sc, from, to, e);
	return v;
}

/* The statement's text as sent: its tokens as written, executable
 * comments' markers and the omitted tokens left out. */
static void statement_text(const screen *sc, int from, int to, strbuf *out)
{
	const my_tok *t = sc->c->toks;
	const char *src = sc->c->src;
	int prev = -1;
	for (int i = from; i < to; i++) {
		if (sc->omit[i])
			continue;
		if (prev >= 0) {
			/* The gap before the first token left out, if any:
			 * "FROM `shop`.`t`" becomes "FROM `t`". */
			const char *g = src + t[prev].end;
			size_t n = t[prev + 1].start - t[prev].end;
			bool plain = true, nl = false;
			for (size_t k = 0; k < n; k++) {
				if (g[k] == '\n')
					nl = true;
				else if (g[k] != ' ' && g[k] != '\t' &&
					 g[k] != '\r')
					plain = false;
			}
			if (plain)
				strbuf_add(out, g, n);
			else
				strbuf_addch(out, nl ? '\n' : ' ');
		}
		strbuf_add(out, src + t[i].start, t[i].end - t[i].start);
		prev = i;
	}
}

typedef struct stmt {
	int line;
	char *sql;
} stmt;

static void stmts_free(stmt *s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i].sql);
	free(s);
}

/* The databases the account behind `c` sees, and its current one. */
static int read_visible(MYSQL *c, screen *sc, char **current, error *e)
{
	my_rows r;
	*current = NULL;
	if (my_query(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA",
		     &r, "reading the databases", e) < 0)
		return -1;
	sc->visible = xcalloc((size_t)r.n + 1, sizeof(*sc->visible));
	for (int i = 0; i < r.n; i++) {
		const char *v = my_rows_val(&r, i, 0);
		if (v)
			sc->visible[sc->nvisible++] = xstrdup(v);
	}
	my_rows_release(&r);
	if (my_query(c, "SELECT DATABASE()", &r, "reading the database", e) < 0)
		return -1;
	const char *v = my_rows_val(&r, 0, 0);
	*current = v ? xstrdup(v) : NULL;
	my_rows_release(&r);
	return 0;
}

/* Split and screen `sql` into *out (n statements to run). */
static int screen_all(screen *sc, stmt **out, int *n, error *e)
{
	my_ctx *c = sc->c;
	stmt *list = NULL;
	int count = 0, alloc = 0;
	sc->omit = xcalloc((size_t)c->ntoks + 1, sizeof(*sc->omit));
	for (int i = 0; c->toks[i].kind != MT_EOF;) {
		if (c->toks[i].kind == MT_DELIM) {
			i++;
			continue;
		}
		int end = i;
		while (c->toks[end].kind != MT_DELIM &&
		       c->toks[end].kind != MT_EOF)
			end++;
		int v = judge(sc, i, end, e);
		if (v == REFUSE) {
			stmts_free(list, count);
			return -1;
		}
		if (v == RUN) {
			/* A dump's SETs come before its CREATE DATABASE. */
			if (!word_is(&c->toks[i], "SET"))
				sc->began = true;
			strbuf sb = STRBUF_INIT;
			statement_text(sc, i, end, &sb);
			ALLOC_GROW(list, count + 1, alloc);
			list[count].line = c->toks[i].line;
			list[count].sql = strbuf_detach(&sb);
			count++;
		}
		i = end;
	}
	*out = list;
	*n = count;
	return 0;
}

static int load(const char *url, const char *sql, const char *filename,
		bool users, error *e)
{
	model *m = model_new();
	my_ctx c = {.m = m, .e = e, .filename = filename, .src = sql};
	screen sc = {.c = &c, .filename = filename};
	MYSQL *conn = NULL;
	stmt *list = NULL;
	char *current = NULL;
	int n = 0, ret = -1;
	if (my_lex(&c) < 0 || my_connect(url, &conn, e) < 0 ||
	    read_visible(conn, &sc, &current, e) < 0)
		goto out;
	sc.target = current;
	if (screen_all(&sc, &list, &n, e) < 0)
		goto out;
	ret = 0;
	for (int i = 0; i < n && !ret; i++)
		if (mysql_real_query(conn, list[i].sql, strlen(list[i].sql))) {
			ret = error_set(e, users ? EXIT_USAGE : EXIT_DB,
					"%s:%d: %s", filename, list[i].line,
					mysql_error(conn));
		} else {
			/* A statement's results (none expected) are read
			 * so that the next one can be sent. */
			MYSQL_RES *r = mysql_store_result(conn);
			if (r)
				mysql_free_result(r);
		}
out:
	stmts_free(list, n);
	if (conn)
		mysql_close(conn);
	for (int i = 0; i < sc.nvisible; i++)
		free(sc.visible[i]);
	free(sc.visible);
	free(sc.omit);
	free(sc.home);
	free(current);
	model_free(m);
	return ret;
}

int my_load_script(const char *url, const char *sql, const char *filename,
		   error *e)
{
	return load(url, sql, filename, true, e);
}

int my_exec_script(const char *url, const char *sql, const char *filename,
		   error *e)
{
	return load(url, sql, filename, false, e);
}
