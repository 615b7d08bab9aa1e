/*
 * my_lint: hazards in hand-written MySQL/MariaDB migrations, read with
 * the dialect's own lexer and parser helpers (no server, no SQL run).
 * This file holds the rule catalogue, findings, the state remembered
 * across files and the statement loop with every statement that is not
 * ALTER TABLE; lint_alter.c holds ALTER TABLE and the type changes.
 *
 * What the rules know of MySQL's online DDL (InnoDB): without
 * ALGORITHM= or LOCK= the server picks the best algorithm it can and
 * silently falls back to a table copy that blocks writes; with
 * ALGORITHM=INSTANT / INPLACE or LOCK=NONE it refuses instead. A table
 * created earlier in the same migration holds no rows: the lock and copy
 * rules stay quiet on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../plan/plan.h"
#include "../../util/xalloc.h"
#include "lint_internal.h"
#include "mysql.h"

#define LOCKS (HZ_BLOCKS_WRITES | HZ_TABLE_REWRITE)
const lint_rule my_lint_rules[] = {
    [ML_REQUIRE_ALGORITHM_LOCK] =
	{"require_algorithm_lock", LINT_ERROR, LOCKS,
	 "ALTER TABLE / CREATE INDEX on an existing table without "
	 "ALGORITHM=INSTANT|INPLACE or LOCK=NONE may copy the table and block "
	 "writes instead of failing"},
    [ML_COPYING_TYPE_CHANGE] =
	{"copying_column_type_change", LINT_ERROR, LOCKS,
	 "MODIFY / CHANGE to another column type copies the table (except "
	 "widening a varchar within its length-byte class, appending ENUM "
	 "values)"},
    [ML_ADDING_FOREIGN_KEY] =
	{"adding_foreign_key", LINT_ERROR, LOCKS | HZ_TABLE_SCAN,
	 "ADD FOREIGN KEY under foreign_key_checks=1 copies the table and "
	 "checks every row"},
    [ML_BAN_DROP_COLUMN] = {"ban_drop_column", LINT_ERROR,
			    HZ_DELETES_DATA | HZ_IRREVERSIBLE |
				HZ_BREAKS_OLD_CODE,
			    "DROP COLUMN deletes data and breaks code that "
			    "still reads the column"},
    [ML_BAN_DROP_TABLE] = {"ban_drop_table", LINT_ERROR,
			   HZ_DELETES_DATA | HZ_IRREVERSIBLE |
			       HZ_BREAKS_OLD_CODE,
			   "DROP TABLE deletes data and breaks code that still "
			   "uses the table"},
    [ML_AUTO_INCREMENT_EXHAUSTION] =
	{"auto_increment_exhaustion", LINT_WARNING, 0,
	 "an AUTO_INCREMENT column of type tinyint, smallint, mediumint or "
	 "int runs out of values; use bigint unsigned"},
    [ML_RENAMING_COLUMN] = {"renaming_column", LINT_ERROR, HZ_BREAKS_OLD_CODE,
			    "RENAME COLUMN / CHANGE old new breaks the "
			    "deployed code that uses the old name"},
    [ML_RENAMING_TABLE] = {"renaming_table", LINT_ERROR, HZ_BREAKS_OLD_CODE,
			   "RENAME TABLE / RENAME TO breaks the deployed code "
			   "that uses the old name"},
    [ML_ADDING_REQUIRED_FIELD] =
	{"adding_required_field", LINT_ERROR, HZ_BREAKS_OLD_CODE,
	 "ADD COLUMN ... NOT NULL without DEFAULT gives the existing rows the "
	 "type's implicit default and breaks inserts of the deployed code"},
    [ML_ADDING_UNIQUE_KEY] =
	{"adding_unique_key", LINT_ERROR, HZ_INDEX_BUILD | HZ_TABLE_SCAN,
	 "a new UNIQUE or PRIMARY KEY on an existing table fails on "
	 "duplicates after building its index"},
    [ML_REBUILD_COMMANDS] = {"rebuild_commands", LINT_ERROR,
			     LOCKS | HZ_TABLE_SCAN,
			     "OPTIMIZE TABLE, ALTER ... FORCE / ENGINE= / "
			     "ALGORITHM=COPY / CONVERT TO / ORDER BY / "
			     "PARTITION BY / ADD CHECK rebuild the table"},
    [ML_LOCK_BLOCKS_WRITES] = {"lock_blocks_writes", LINT_ERROR,
			       HZ_BLOCKS_WRITES,
			       "LOCK=SHARED blocks writes and LOCK=EXCLUSIVE "
			       "reads and writes for the whole ALTER"},
    [ML_REQUIRE_LOCK_WAIT_TIMEOUT] =
	{"require_lock_wait_timeout", LINT_WARNING, HZ_BLOCKS_WRITES,
	 "DDL on an existing table without SET SESSION lock_wait_timeout: "
	 "while it waits for its metadata lock (a year by default), every "
	 "query on the table queues behind it"},
    [ML_BAN_TRUNCATE] = {"ban_truncate", LINT_ERROR,
			 HZ_DELETES_DATA | HZ_IRREVERSIBLE,
			 "TRUNCATE TABLE deletes every row for good (it is "
			 "DDL: no transaction takes it back)"},
    [ML_BAN_DROP_DATABASE] = {"ban_drop_database", LINT_ERROR,
			      HZ_DELETES_DATA | HZ_IRREVERSIBLE |
				  HZ_BREAKS_OLD_CODE,
			      "DROP DATABASE / DROP SCHEMA deletes every table "
			      "of the database"},
    {NULL, LINT_WARNING, 0, NULL},
};
#undef LOCKS

/* ---- findings, names and state -------------------------------------- */

void ml_report(ml_ctx *c, enum ml_rule rule, enum lint_level level,
	       const my_tok *at, const char *suggestion, const char *fmt, ...)
{
	strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	lint_add(c->r, &my_lint_rules[rule], level, c->p.filename, at->line,
		 at->col, suggestion, "%s", msg.buf);
	strbuf_release(&msg);
}

void ml_table_key(strbuf *sb, const char *schema, const char *name)
{
	my_qname(sb, schema, name);
}

void ml_column_key(strbuf *sb, const char *schema, const char *table,
		   const char *column)
{
	ml_table_key(sb, schema, table);
	strbuf_addch(sb, '.');
	size_t at = sb->len;
	my_quote_ident(sb, column);
	for (size_t i = at; i < sb->len; i++)
		if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
			sb->buf[i] = (char)(sb->buf[i] + 32);
}

bool ml_table_is_new(ml_ctx *c, const char *schema, const char *name)
{
	strbuf k = STRBUF_INIT;
	intptr_t file_no = 0;
	ml_table_key(&k, schema, name);
	bool found = strmap_get_int(&c->st->tables, k.buf, &file_no);
	strbuf_release(&k);
	return found && (c->r->one_migration || file_no == c->st->file_no);
}

void ml_set_coltype(ml_ctx *c, const char *schema, const char *table,
		    const m_column *col, int mb)
{
	strbuf k = STRBUF_INIT, v = STRBUF_INIT;
	ml_column_key(&k, schema, table, col->name);
	strbuf_addf(&v, "%d:%d:%s", mb, col->not_null ? 1 : 0,
		    col->type ? col->type : "?");
	free(strmap_get(&c->st->coltypes, k.buf));
	strmap_put(&c->st->coltypes, k.buf, strbuf_detach(&v));
	strbuf_release(&k);
}

void ml_forget_column(ml_ctx *c, const char *schema, const char *table,
		      const char *column)
{
	strbuf k = STRBUF_INIT;
	ml_column_key(&k, schema, table, column);
	free(strmap_get(&c->st->coltypes, k.buf));
	strmap_remove(&c->st->coltypes, k.buf);
	strbuf_release(&k);
}

void ml_rename_table(ml_ctx *c, const char *schema, const char *name,
		     const char *nschema, const char *nname)
{
	strbuf from = STRBUF_INIT, to = STRBUF_INIT, k = STRBUF_INIT;
	ml_table_key(&from, schema, name);
	ml_table_key(&to, nschema, nname);
	intptr_t file_no;
	if (strmap_get_int(&c->st->tables, from.buf, &file_no)) {
		strmap_remove(&c->st->tables, from.buf);
		strmap_put_int(&c->st->tables, to.buf, file_no);
	}
	/* Collect first: the map must not change while it is walked. */
	strbuf_addch(&from, '.');
	size_t pos = 0, n = 0, cap = 0;
	char **keys = NULL;
	strmap_entry *en;
	while ((en = strmap_next(&c->st->coltypes, &pos)))
		if (!strncmp(en->key, from.buf, from.len)) {
			ALLOC_GROW(keys, n + 1, cap);
			keys[n++] = xstrdup(en->key);
		}
	for (size_t i = 0; i < n; i++) {
		char *v = strmap_get(&c->st->coltypes, keys[i]);
		strmap_remove(&c->st->coltypes, keys[i]);
		strbuf_reset(&k);
		strbuf_addf(&k, "%s.%s", to.buf, keys[i] + from.len);
		free(strmap_get(&c->st->coltypes, k.buf));
		strmap_put(&c->st->coltypes, k.buf, v);
		free(keys[i]);
	}
	free(keys);
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&k);
}

void ml_auto_increment(ml_ctx *c, const my_tok *at, const char *table_key,
		       const m_column *col)
{
	static const struct {
		const char *type;
		const char *max, *umax;
	} small[] = {{"tinyint", "127", "255"},
		     {"smallint", "32,767", "65,535"},
		     {"mediumint", "8,388,607", "16,777,215"},
		     {"int", "2,147,483,647", "4,294,967,295"}};
	if (!col->auto_increment || !col->type)
		return;
	for (size_t i = 0; i < sizeof(small) / sizeof(*small); i++) {
		size_t l = strlen(small[i].type);
		if (strncmp(col->type, small[i].type, l) != 0 ||
		    (col->type[l] && col->type[l] != ' ' &&
		     col->type[l] != '('))
			continue;
		bool uns = strstr(col->type, "unsigned") != NULL;
		strbuf name = STRBUF_INIT;
		my_quote_ident(&name, col->name);
		ml_report(c, ML_AUTO_INCREMENT_EXHAUSTION,
			  my_lint_rules[ML_AUTO_INCREMENT_EXHAUSTION].level, at,
			  "bigint unsigned NOT NULL AUTO_INCREMENT",
			  "AUTO_INCREMENT column %s of %s is %s: inserts fail "
			  "once it reaches %s%s",
			  name.buf, table_key, col->type,
			  uns ? small[i].umax : small[i].max,
			  uns ? ""
			      : " (a signed key never uses the negative "
				"half)");
		strbuf_release(&name);
		return;
	}
}

void ml_stmt_text(ml_ctx *c, int from, strbuf *sb)
{
	int last = from;
	for (int i = from; i < c->p.ntoks; i++) {
		int k = c->p.toks[i].kind;
		if (k == MT_DELIM || k == MT_EOF)
			break;
		last = i;
	}
	const my_tok *a = &c->p.toks[from], *b = &c->p.toks[last];
	strbuf_add(sb, c->p.src + a->start, b->end - a->start);
}

void ml_lock_wait_check(ml_ctx *c, const my_tok *at, const char *what,
			const char *obj)
{
	if (c->lock_wait_timeout)
		return;
	ml_report(c, ML_REQUIRE_LOCK_WAIT_TIMEOUT,
		  my_lint_rules[ML_REQUIRE_LOCK_WAIT_TIMEOUT].level, at,
		  "SET SESSION lock_wait_timeout = 5;  -- before the "
		  "statement, then retry on timeout",
		  "%s on %s runs without lock_wait_timeout: while it waits "
		  "for its metadata lock (a year by default), every query on "
		  "the table queues behind it",
		  what, obj);
}

static void free_values(strmap *m)
{
	size_t pos = 0;
	strmap_entry *en;
	while ((en = strmap_next(m, &pos)))
		free(en->value);
	strmap_release(m);
}

static void state_free(void *p)
{
	ml_state *st = p;
	strmap_release(&st->tables);
	free_values(&st->coltypes);
	free(st);
}

/* ---- statements other than ALTER TABLE ------------------------------- */

/* CREATE [OR REPLACE] [TEMPORARY] TABLE: remember the table (it holds no
 * rows) and its columns' types; AUTO_INCREMENT on small types. */
static int create_table(ml_ctx *c, int start)
{
	my_ctx *p = &c->p;
	(void)(my_accept(p, "OR") && my_accept(p, "REPLACE"));
	if (my_accept(p, "TEMPORARY")) {
		my_skip_statement(p);
		return 0;
	}
	if (my_expect(p, "TABLE"))
		return -1;
	(void)(my_accept(p, "IF") && my_accept(p, "NOT") &&
	       my_accept(p, "EXISTS"));
	char *schema, *name;
	if (my_qualname(p, &schema, &name, "a table name"))
		return -1;
	strbuf key = STRBUF_INIT;
	ml_table_key(&key, schema, name);
	strmap_put_int(&c->st->tables, key.buf, c->st->file_no);
	/* LIKE and CREATE ... SELECT copy what the linter cannot see: the
	 * table is new, its columns unknown. */
	bool body = my_is_op(p, 0, "(") && !my_is(p, 1, "LIKE");
	if (!body) {
		strbuf_release(&key);
		my_skip_statement(p);
		return 0;
	}
	/* The parser's own CREATE TABLE, for the columns as it reads them;
	 * a table of the same name read earlier in the file goes first. */
	my_table *old = my_find_table(p, schema, name);
	if (old)
		old->dropped = true;
	p->pos = start + 1;
	if (my_create_table(p)) {
		strbuf_release(&key);
		return -1;
	}
	my_table *t = my_find_table(p, schema, name);
	for (int i = 0; t && i < t->ncolumns; i++) {
		const m_column *col = &t->columns[i];
		/* A column without its own charset has the table's, else
		 * the database's (utf8mb4 when the file does not say). */
		int mb = col->charset || col->collation
			     ? ml_charset_mb(col->charset, col->collation)
			 : t->charset || t->collation
			     ? ml_charset_mb(t->charset, t->collation)
			     : ml_charset_mb(p->db_charset, p->db_collation);
		ml_set_coltype(c, schema, name, col, mb);
		ml_auto_increment(c, &p->toks[start], key.buf, col);
	}
	strbuf_release(&key);
	return 0;
}

/* ALGORITHM [=] x / LOCK [=] x after CREATE INDEX (and in ALTER TABLE):
 * 1 when read, the value's token in *val. */
static int algo_or_lock(my_ctx *p, bool *algo, my_tok **val)
{
	if (!my_is(p, 0, "ALGORITHM") && !my_is(p, 0, "LOCK"))
		return 0;
	*algo = my_is(p, 0, "ALGORITHM");
	my_next(p);
	my_accept_op(p, "=");
	*val = my_peek(p, 0);
	if (!my_ident(p, "a value"))
		return -1;
	return 1;
}

/* CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING t] ON tbl (parts)
 * [options] [ALGORITHM [=] x] [LOCK [=] x] */
static int create_index(ml_ctx *c, int start, char kind)
{
	my_ctx *p = &c->p;
	if (my_expect(p, "INDEX"))
		return -1;
	(void)(my_accept(p, "IF") && my_accept(p, "NOT") &&
	       my_accept(p, "EXISTS"));
	my_tok *at = &p->toks[start];
	char *iname = my_ident(p, "an index name"), *schema, *name;
	if (!iname)
		return -1;
	if (my_accept(p, "USING") && !my_ident(p, "an index type"))
		return -1;
	if (my_expect(p, "ON") ||
	    my_qualname(p, &schema, &name, "a table name"))
		return -1;
	my_key k = {.kind = kind};
	if (my_key_parts(p, &k))
		return -1;
	bool ok = false;
	while (!my_at_end(p)) {
		bool algo;
		my_tok *v;
		int r = algo_or_lock(p, &algo, &v);
		if (r < 0)
			return -1;
		if (!r) {
			my_next(p);
			continue;
		}
		bool weak = !strcasecmp(v->text, "EXCLUSIVE") ||
			    !strcasecmp(v->text, "SHARED");
		/* The finding names the better LOCK: no second one. */
		ok = ok || weak;
		if (weak)
			ml_report(c, ML_LOCK_BLOCKS_WRITES,
				  my_lint_rules[ML_LOCK_BLOCKS_WRITES].level, v,
				  "LOCK=NONE (the server refuses when it "
				  "cannot let writes go on)",
				  "LOCK=%s blocks %s on the table while the "
				  "index builds",
				  v->text,
				  strcasecmp(v->text, "SHARED") ? "reads and "
								  "writes"
								: "writes");
		else if (algo && !strcasecmp(v->text, "COPY"))
			ml_report(c, ML_REBUILD_COMMANDS,
				  my_lint_rules[ML_REBUILD_COMMANDS].level, v,
				  "ALGORITHM=INPLACE, LOCK=NONE",
				  "ALGORITHM=COPY copies the whole table and "
				  "blocks writes to build one index");
		else if (algo ? strcasecmp(v->text, "DEFAULT") != 0
			      : !strcasecmp(v->text, "NONE"))
			ok = true;
	}
	if (ml_table_is_new(c, schema, name))
		return 0;
	strbuf obj = STRBUF_INIT, sugg = STRBUF_INIT;
	ml_table_key(&obj, schema, name);
	if (!ok) {
		ml_stmt_text(c, start, &sugg);
		strbuf_adds(&sugg, kind == 'i' || kind == 'u'
				       ? " ALGORITHM=INPLACE LOCK=NONE;"
				       : " ALGORITHM=INPLACE;");
		ml_report(c, ML_REQUIRE_ALGORITHM_LOCK,
			  my_lint_rules[ML_REQUIRE_ALGORITHM_LOCK].level, at,
			  sugg.buf,
			  "CREATE INDEX on %s without ALGORITHM= or LOCK=: the "
			  "server may copy the table and block writes instead "
			  "of failing",
			  obj.buf);
	}
	if (kind == 'u')
		ml_report(
		    c, ML_ADDING_UNIQUE_KEY,
		    my_lint_rules[ML_ADDING_UNIQUE_KEY].level, at,
		    "look for duplicates first (SELECT the key's columns, "
		    "COUNT(*) ... GROUP BY them HAVING COUNT(*) > 1) and "
		    "stop the code from writing new ones",
		    "CREATE UNIQUE INDEX on %s fails after building the "
		    "whole index when the rows hold duplicates",
		    obj.buf);
	ml_lock_wait_check(c, at, "CREATE INDEX", obj.buf);
	strbuf_release(&obj);
	strbuf_release(&sugg);
	return 0;
}

/* DROP [TEMPORARY] TABLE[S] [IF EXISTS] a, b [RESTRICT|CASCADE] */
static int drop_tables(ml_ctx *c, int start, bool temporary)
{
	my_ctx *p = &c->p;
	(void)(my_accept(p, "IF") && my_accept(p, "EXISTS"));
	do {
		my_tok *at = my_peek(p, 0);
		char *schema, *name;
		if (my_qualname(p, &schema, &name, "a table name"))
			return -1;
		my_table *t = my_find_table(p, schema, name);
		if (t)
			t->dropped = true;
		strbuf k = STRBUF_INIT;
		ml_table_key(&k, schema, name);
		bool is_new = ml_table_is_new(c, schema, name);
		strmap_remove(&c->st->tables, k.buf);
		if (!is_new && !temporary) {
			ml_report(c, ML_BAN_DROP_TABLE,
				  my_lint_rules[ML_BAN_DROP_TABLE].level, at,
				  "stop using the table in the deployed code "
				  "first, keep a backup, and drop it in a "
				  "later release",
				  "DROP TABLE %s deletes its data for good",
				  k.buf);
			ml_lock_wait_check(c, &p->toks[start], "DROP TABLE",
					   k.buf);
		}
		strbuf_release(&k);
	} while (my_accept_op(p, ","));
	(void)(my_accept(p, "RESTRICT") || my_accept(p, "CASCADE"));
	return 0;
}

/* TRUNCATE [TABLE] name: a table this migration made holds no rows. */
static int truncate_table(ml_ctx *c)
{
	my_ctx *p = &c->p;
	(void)my_accept(p, "TABLE");
	my_tok *at = my_peek(p, 0);
	char *schema, *name;
	if (my_qualname(p, &schema, &name, "a table name"))
		return -1;
	if (!ml_table_is_new(c, schema, name)) {
		strbuf k = STRBUF_INIT;
		ml_table_key(&k, schema, name);
		ml_report(c, ML_BAN_TRUNCATE,
			  my_lint_rules[ML_BAN_TRUNCATE].level, at,
			  "delete the rows in batches, in a data migration "
			  "reviewed as one, or keep a backup",
			  "TRUNCATE TABLE %s deletes every row for good",
			  k.buf);
		strbuf_release(&k);
	}
	return 0;
}

/* DROP {DATABASE | SCHEMA} [IF EXISTS] name */
static int drop_database(ml_ctx *c, const my_tok *at)
{
	my_ctx *p = &c->p;
	(void)(my_accept(p, "IF") && my_accept(p, "EXISTS"));
	char *name = my_ident(p, "a database name");
	if (!name)
		return -1;
	strbuf k = STRBUF_INIT;
	my_quote_ident(&k, name);
	ml_report(c, ML_BAN_DROP_DATABASE,
		  my_lint_rules[ML_BAN_DROP_DATABASE].level, at,
		  "drop a database by hand, never from a migration",
		  "DROP DATABASE %s deletes every table in it", k.buf);
	strbuf_release(&k);
	return 0;
}

/* RENAME TABLE a TO b [, c TO d] */
static int rename_tables(ml_ctx *c)
{
	my_ctx *p = &c->p;
	do {
		my_tok *at = my_peek(p, 0);
		char *schema, *name, *ns, *nn;
		if (my_qualname(p, &schema, &name, "a table name") ||
		    my_expect(p, "TO") ||
		    my_qualname(p, &ns, &nn, "a table name"))
			return -1;
		strbuf k = STRBUF_INIT, nk = STRBUF_INIT;
		ml_table_key(&k, schema, name);
		ml_table_key(&nk, ns, nn);
		if (!ml_table_is_new(c, schema, name))
			ml_report(c, ML_RENAMING_TABLE,
				  my_lint_rules[ML_RENAMING_TABLE].level, at,
				  "create the new table (or a view of the new "
				  "name over the old one), switch the code, "
				  "drop the old name in a later release",
				  "RENAME TABLE %s TO %s breaks the deployed "
				  "code that uses the old name",
				  k.buf, nk.buf);
		my_table *t = my_find_table(p, schema, name);
		if (t) {
			t->schema = ns;
			t->name = nn;
		}
		ml_rename_table(c, schema, name, ns, nn);
		strbuf_release(&k);
		strbuf_release(&nk);
	} while (my_accept_op(p, ","));
	return 0;
}

/* OPTIMIZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE a, b */
static int optimize(ml_ctx *c)
{
	my_ctx *p = &c->p;
	(void)(my_accept(p, "NO_WRITE_TO_BINLOG") || my_accept(p, "LOCAL"));
	if (!my_accept(p, "TABLE") && !my_accept(p, "TABLES")) {
		my_skip_statement(p);
		return 0;
	}
	do {
		my_tok *at = my_peek(p, 0);
		char *schema, *name;
		if (my_qualname(p, &schema, &name, "a table name"))
			return -1;
		if (ml_table_is_new(c, schema, name))
			continue;
		strbuf k = STRBUF_INIT;
		ml_table_key(&k, schema, name);
		ml_report(c, ML_REBUILD_COMMANDS,
			  my_lint_rules[ML_REBUILD_COMMANDS].level, at,
			  "run it on a replica or in a quiet hour, or rebuild "
			  "with gh-ost / pt-online-schema-change",
			  "OPTIMIZE TABLE %s rebuilds the whole table", k.buf);
		strbuf_release(&k);
	} while (my_accept_op(p, ","));
	return 0;
}

/* SET: the session settings later statements are judged by. A GLOBAL
 * one only reaches later sessions. */
static void set_stmt(ml_ctx *c)
{
	my_ctx *p = &c->p;
	bool global = false;
	while (!my_at_end(p)) {
		my_tok *t = my_next(p);
		if (t->kind != MT_WORD)
			continue;
		if (!strcasecmp(t->text, "GLOBAL") ||
		    !strcasecmp(t->text, "PERSIST"))
			global = true;
		bool lwt = !strcasecmp(t->text, "lock_wait_timeout");
		bool fkc = !strcasecmp(t->text, "foreign_key_checks");
		if ((!lwt && !fkc) || global)
			continue;
		(void)(my_accept_op(p, "=") || my_accept_op(p, ":="));
		my_tok *v = my_next(p);
		bool dflt =
		    v->kind == MT_WORD && !strcasecmp(v->text, "DEFAULT");
		bool zero =
		    v->kind == MT_NUMBER
			? atof(v->text) == 0
			: v->kind == MT_WORD && !strcasecmp(v->text, "OFF");
		if (lwt)
			c->lock_wait_timeout = !dflt;
		else
			c->fk_checks_off = zero;
	}
}

static int use_database(ml_ctx *c)
{
	my_ctx *p = &c->p;
	char *name = my_ident(p, "a database name");
	if (!name)
		return -1;
	if (!p->home_db)
		p->home_db = name;
	p->cur_db = strcmp(name, p->home_db) == 0 ? "" : name;
	return 0;
}

/* Statements that lock no table the rules know of: read to their end. */
static const char *const passed[] = {
    "INSERT",	"REPLACE",  "UPDATE",	 "DELETE",    "SELECT",	    "WITH",
    "CALL",	"DO",	    "LOCK",	 "UNLOCK",    "BEGIN",	    "START",
    "COMMIT",	"ROLLBACK", "SAVEPOINT", "RELEASE",   "ANALYZE",    "FLUSH",
    "GRANT",	"REVOKE",   "PREPARE",	 "EXECUTE",   "DEALLOCATE", "XA",
    "SHOW",	"EXPLAIN",  "DESCRIBE",	 "DESC",      "CHECK",	    "CHECKSUM",
    "LOAD",	"HANDLER",  "INSTALL",	 "UNINSTALL", "KILL",	    "RESET",
    "PURGE",	"CACHE",    "REPAIR",	 "VALUES",    "TABLE",	    "SIGNAL",
    "RESIGNAL", "IMPORT",   NULL};

static int statement(ml_ctx *c)
{
	my_ctx *p = &c->p;
	int start = p->pos;
	my_tok *first = my_peek(p, 0);
	int r = 1;
	if (first->kind == MT_WORD) {
		for (int i = 0; passed[i]; i++)
			if (!strcasecmp(first->text, passed[i])) {
				my_skip_statement(p);
				return 0;
			}
		if (my_accept(p, "CREATE")) {
			char kind = 0;
			if (my_is(p, 0, "TABLE") || my_is(p, 0, "TEMPORARY") ||
			    (my_is(p, 0, "OR") && my_is(p, 2, "TABLE")))
				r = create_table(c, start);
			else if ((my_accept(p, "UNIQUE") && (kind = 'u')) ||
				 (my_accept(p, "FULLTEXT") && (kind = 'F')) ||
				 (my_accept(p, "SPATIAL") && (kind = 'S')) ||
				 my_is(p, 0, "INDEX"))
				r = create_index(c, start, kind ? kind : 'i');
			else {
				/* Views, routines, triggers, databases,
				 * users: no table's rows at stake. */
				my_skip_statement(p);
				r = 0;
			}
		} else if (my_accept(p, "ALTER")) {
			/* MariaDB's ALTER ONLINE TABLE is LOCK=NONE. */
			bool online = my_accept(p, "ONLINE");
			(void)(online || my_accept(p, "IGNORE"));
			if (my_accept(p, "TABLE"))
				r = ml_alter_table(c, start, online);
			else {
				my_skip_statement(p);
				r = 0;
			}
		} else if (my_accept(p, "DROP")) {
			bool tmp = my_accept(p, "TEMPORARY");
			if (my_accept(p, "TABLE") || my_accept(p, "TABLES"))
				r = drop_tables(c, start, tmp);
			else if (!tmp && (my_accept(p, "DATABASE") ||
					  my_accept(p, "SCHEMA")))
				r = drop_database(c, first);
			else {
				/* DROP INDEX runs in place without copying;
				 * other objects hold no rows. */
				my_skip_statement(p);
				r = 0;
			}
		} else if (my_accept(p, "RENAME")) {
			if (my_accept(p, "TABLE") || my_accept(p, "TABLES"))
				r = rename_tables(c);
			else {
				my_skip_statement(p);
				r = 0;
			}
		} else if (my_accept(p, "OPTIMIZE"))
			r = optimize(c);
		else if (my_accept(p, "TRUNCATE"))
			r = truncate_table(c);
		else if (my_accept(p, "SET")) {
			set_stmt(c);
			r = 0;
		} else if (my_accept(p, "USE"))
			r = use_database(c);
	} else if (first->kind == MT_OP && !strcmp(first->text, "(")) {
		my_skip_statement(p); /* (SELECT ...) */
		r = 0;
	}
	if (r < 0)
		return -1;
	if (r > 0) {
		strbuf sb = STRBUF_INIT;
		ml_stmt_text(c, start, &sb);
		if (sb.len > 40)
			strbuf_setlen(&sb, 40);
		my_fail(p, first, "unsupported statement \"%s\"", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	if (!my_at_end(p)) {
		my_tok *t = my_peek(p, 0);
		return my_fail(p, t, "unexpected \"%.40s\"", t->text);
	}
	return 0;
}

int my_lint(const char *sql, const char *filename, lint_result *out, error *e)
{
	if (!out->state) {
		out->state = xcalloc(1, sizeof(ml_state));
		out->state_free = state_free;
	}
	ml_state *st = out->state;
	st->file_no++;
	out->nfiles++;

	/* The parser's context keeps its tokens and what it reads in a
	 * model's arena, thrown away with the file. */
	model *m = model_new();
	ml_ctx c = {.p = {.m = m,
			  .e = e,
			  .filename = filename ? filename : "<input>",
			  .src = sql,
			  .cur_db = ""},
		    .r = out,
		    .st = st};
	int ret = my_lex(&c.p);
	while (!ret && c.p.toks[c.p.pos].kind != MT_EOF) {
		if (c.p.toks[c.p.pos].kind == MT_DELIM) {
			c.p.pos++;
			continue;
		}
		ret = statement(&c);
	}
	model_free(m);
	return ret ? -1 : 0;
}
