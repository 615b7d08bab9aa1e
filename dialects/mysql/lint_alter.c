/*
 * my_lint's ALTER TABLE: each action read with the parser's helpers
 * (column definitions, keys, foreign keys), judged by what InnoDB does
 * with it on a table that holds rows, and the statement as a whole by
 * its ALGORITHM= / LOCK= clauses. Also which column type changes copy
 * the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint_internal.h"
#include "mysql.h"

/* How an action runs when the server chooses: metadata only (never a
 * copy), INSTANT where the server supports it, or in place at best. */
enum ml_class { CL_META, CL_INSTANT, CL_INPLACE };

typedef struct alter_ctx {
	ml_ctx *c;
	char *schema, *name;
	strbuf key; /* the table as messages name it */
	bool is_new;
	bool ok;	   /* ALGORITHM=INSTANT|INPLACE|NOCOPY or LOCK=NONE */
	enum ml_class cls; /* the most demanding action's */
	bool copy_said;	   /* a finding already says it copies or locks */
} alter_ctx;

static void need(alter_ctx *a, enum ml_class cls)
{
	if (cls > a->cls)
		a->cls = cls;
}

static enum lint_level lvl(enum ml_rule r)
{
	return my_lint_rules[r].level;
}

int ml_charset_mb(const char *charset, const char *collation)
{
	static const struct {
		const char *cs;
		int mb;
	} wide[] = {
	    {"utf8mb4", 4}, {"utf16", 4},   {"utf16le", 4}, {"utf32", 4},
	    {"gb18030", 4}, {"utf8mb3", 3}, {"utf8", 3},    {"ujis", 3},
	    {"eucjpms", 3}, {"ucs2", 2},    {"big5", 2},    {"gbk", 2},
	    {"sjis", 2},    {"cp932", 2},   {"euckr", 2},   {"gb2312", 2}};
	char cs[32] = "";
	const char *src = charset ? charset : collation;
	if (!src)
		return 4;
	size_t n = strcspn(src, charset ? "" : "_");
	if (n >= sizeof(cs))
		return 4;
	memcpy(cs, src, n);
	cs[n] = 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(*wide); i++)
		if (!strcasecmp(cs, wide[i].cs))
			return wide[i].mb;
	return 1;
}

/* varchar(n) / varbinary(n): the length, the rest must be nothing. */
static long var_len(const char *type, const char *kind)
{
	size_t l = strlen(kind);
	if (strncmp(type, kind, l) != 0)
		return -1;
	char *end;
	long n = strtol(type + l, &end, 10);
	return strcmp(end, ")") == 0 ? n : -1;
}

const char *ml_copy_reason(const char *old, const char *type, int mb,
			   strbuf *why)
{
	/* "MB:NN:type": the type after the second colon. */
	const char *ot = strchr(old, ':');
	ot = ot ? strchr(ot + 1, ':') : NULL;
	int omb = atoi(old);
	ot = ot ? ot + 1 : old;
	if (!strcmp(ot, type))
		return NULL;
	bool bin = !strncmp(type, "varbinary(", 10);
	long n = var_len(ot, bin ? "varbinary(" : "varchar(");
	long m = var_len(type, bin ? "varbinary(" : "varchar(");
	if (n >= 0 && m >= 0) {
		int ob = bin ? 1 : omb, nb = bin ? 1 : mb;
		/* A varchar keeps its length in one byte up to 255 bytes,
		 * in two above: only a change within the same class is
		 * made in place. */
		if (m < n)
			strbuf_addf(why, "it shortens %s to %s", ot, type);
		else if (ob != nb)
			strbuf_addf(why, "it changes the character set");
		else if ((n * ob <= 255) != (m * nb <= 255))
			strbuf_addf(why,
				    "%s to %s crosses 255 bytes (%d per "
				    "character): the length prefix grows from "
				    "one byte to two",
				    ot, type, nb);
		else
			return NULL;
		return why->buf;
	}
	/* ENUM values appended at the end change only the metadata. */
	size_t ol = strlen(ot);
	if (!strncmp(ot, "enum(", 5) && !strncmp(type, "enum(", 5) && ol > 1 &&
	    !strncmp(type, ot, ol - 1) && type[ol - 1] == ',')
		return NULL;
	strbuf_addf(why, "it changes the type from %s to %s", ot, type);
	return why->buf;
}

/* An optional FIRST | AFTER col after a column definition. */
static int col_position(my_ctx *p)
{
	if (my_accept(p, "FIRST"))
		return 0;
	if (my_accept(p, "AFTER") && !my_ident(p, "a column name"))
		return -1;
	return 0;
}

/* What a key, foreign key or CHECK added (inline or not) costs. */
static void added_keys(alter_ctx *a, const my_table *t, const my_tok *at)
{
	ml_ctx *c = a->c;
	for (int i = 0; i < t->nkeys; i++) {
		need(a, CL_INPLACE);
		char k = t->keys[i].kind;
		if (a->is_new || (k != 'u' && k != 'p'))
			continue;
		ml_report(c, ML_ADDING_UNIQUE_KEY, lvl(ML_ADDING_UNIQUE_KEY),
			  at,
			  "look for duplicates (and NULLs) first: SELECT the "
			  "key's columns, COUNT(*) ... GROUP BY them HAVING "
			  "COUNT(*) > 1; stop the code from writing new ones",
			  "a new %s on %s fails after building the whole index "
			  "when the rows hold duplicates%s",
			  k == 'p' ? "PRIMARY KEY" : "UNIQUE key", a->key.buf,
			  k == 'p' ? " or NULLs, and rebuilds the table" : "");
	}
	for (int i = 0; i < t->nfkeys && !a->is_new; i++) {
		need(a, CL_INPLACE);
		if (c->fk_checks_off)
			continue;
		strbuf ref = STRBUF_INIT;
		my_qname(&ref, t->fkeys[i].ref_schema, t->fkeys[i].ref_table);
		ml_report(c, ML_ADDING_FOREIGN_KEY, lvl(ML_ADDING_FOREIGN_KEY),
			  at,
			  "check for orphans with a query first, then SET "
			  "SESSION foreign_key_checks = 0; ALTER TABLE ... ADD "
			  "FOREIGN KEY ..., ALGORITHM=INPLACE, LOCK=NONE; SET "
			  "SESSION foreign_key_checks = 1",
			  "ADD FOREIGN KEY on %s (to %s) with "
			  "foreign_key_checks=1 copies the table "
			  "(ALGORITHM=COPY) and checks every row while writes "
			  "wait",
			  a->key.buf, ref.buf);
		a->copy_said = true;
		strbuf_release(&ref);
	}
	for (int i = 0; i < t->nchecks && !a->is_new; i++) {
		ml_report(c, ML_REBUILD_COMMANDS, lvl(ML_REBUILD_COMMANDS), at,
			  "on a large table, add it with gh-ost or "
			  "pt-online-schema-change",
			  "ADD CHECK on %s copies the table to check every row",
			  a->key.buf);
		a->copy_said = true;
	}
}

/* The checks of one column definition added to the table. */
static void added_column(alter_ctx *a, const my_tok *at, const m_column *col,
			 const my_table *scratch, const char *cs,
			 const char *coll)
{
	ml_ctx *c = a->c;
	ml_set_coltype(c, a->schema, a->name, col, ml_charset_mb(cs, coll));
	ml_auto_increment(c, at, a->key.buf, col);
	need(a, CL_INSTANT);
	added_keys(a, scratch, at);
	if (a->is_new)
		return;
	strbuf name = STRBUF_INIT;
	my_quote_ident(&name, col->name);
	if (col->not_null && !col->default_expr && !col->auto_increment &&
	    !col->generated_expr)
		ml_report(c, ML_ADDING_REQUIRED_FIELD,
			  lvl(ML_ADDING_REQUIRED_FIELD), at,
			  "give it a DEFAULT, or add it NULL, backfill it in "
			  "batches, then make it NOT NULL once the code writes "
			  "it",
			  "ADD COLUMN %s NOT NULL without DEFAULT on %s: the "
			  "existing rows get the type's implicit default and "
			  "inserts of the deployed code fail under strict mode",
			  name.buf, a->key.buf);
	if (col->generated_expr && !col->gen_virtual) {
		ml_report(c, ML_REBUILD_COMMANDS, lvl(ML_REBUILD_COMMANDS), at,
			  "add it VIRTUAL (computed when read, added "
			  "instantly), or with gh-ost / "
			  "pt-online-schema-change",
			  "ADD COLUMN %s ... STORED on %s copies the table to "
			  "compute every row",
			  name.buf, a->key.buf);
		a->copy_said = true;
	}
	strbuf_release(&name);
}

/* ADD [COLUMN] [IF NOT EXISTS] def | ADD [COLUMN] (def, ...) | ADD key,
 * foreign key, CHECK | ADD PARTITION (...) */
static int add_action(alter_ctx *a, my_tok *at)
{
	my_ctx *p = &a->c->p;
	bool column = my_accept(p, "COLUMN");
	(void)(my_accept(p, "IF") && my_accept(p, "NOT") &&
	       my_accept(p, "EXISTS"));
	if (!column && (my_is(p, 0, "PARTITION") || my_is(p, 0, "PERIOD") ||
			my_is(p, 0, "SYSTEM"))) {
		my_skip_to_comma(p);
		need(a, CL_INPLACE);
		return 0;
	}
	if (!column) {
		my_table scratch = {.schema = a->schema, .name = a->name};
		int r = my_table_constraint(p, &scratch);
		if (r <= 0) {
			if (!r)
				added_keys(a, &scratch, at);
			return r;
		}
	}
	bool list = my_accept_op(p, "(");
	do {
		my_tok *nt = my_peek(p, 0);
		m_column col = {0};
		char *cs = NULL, *coll = NULL;
		my_table scratch = {.schema = a->schema, .name = a->name};
		if (!(col.name = my_ident(p, "a column name")) ||
		    my_column_def(p, &scratch, &col, &cs, &coll) ||
		    col_position(p))
			return -1;
		added_column(a, nt, &col, &scratch, cs, coll);
	} while (list && my_accept_op(p, ","));
	return list ? my_expect_op(p, ")") : 0;
}

/* MODIFY [COLUMN] name def | CHANGE [COLUMN] old new def */
static int modify_action(alter_ctx *a, bool change)
{
	ml_ctx *c = a->c;
	my_ctx *p = &c->p;
	my_accept(p, "COLUMN");
	(void)(my_accept(p, "IF") && my_accept(p, "EXISTS"));
	my_tok *at = my_peek(p, 0);
	char *old = my_ident(p, "a column name"), *name = old;
	if (!old || (change && !(name = my_ident(p, "a column name"))))
		return -1;
	m_column col = {.name = name};
	char *cs = NULL, *coll = NULL;
	my_table scratch = {.schema = a->schema, .name = a->name};
	if (my_column_def(p, &scratch, &col, &cs, &coll) || col_position(p))
		return -1;
	strbuf k = STRBUF_INIT, qold = STRBUF_INIT, qnew = STRBUF_INIT,
	       why = STRBUF_INIT;
	ml_column_key(&k, a->schema, a->name, old);
	my_quote_ident(&qold, old);
	my_quote_ident(&qnew, name);
	const char *prev = strmap_get(&c->st->coltypes, k.buf);
	int mb = cs || coll ? ml_charset_mb(cs, coll) : prev ? atoi(prev) : 4;
	const char *reason =
	    prev && col.type ? ml_copy_reason(prev, col.type, mb, &why) : NULL;
	if (strcasecmp(old, name) && !a->is_new)
		ml_report(c, ML_RENAMING_COLUMN, lvl(ML_RENAMING_COLUMN), at,
			  "add the new column, write both from the code, "
			  "backfill, switch the reads, drop the old one in a "
			  "later release",
			  "CHANGE %s %s on %s renames the column: the deployed "
			  "code that uses the old name breaks",
			  qold.buf, qnew.buf, a->key.buf);
	need(a, CL_INPLACE);
	if (a->is_new) {
		/* No rows to copy. */
	} else if (reason) {
		ml_report(
		    c, ML_COPYING_TYPE_CHANGE, lvl(ML_COPYING_TYPE_CHANGE), at,
		    "expand and contract: add a column of the new type, "
		    "backfill it in batches, switch the code, drop the "
		    "old one; or run the change with gh-ost / "
		    "pt-online-schema-change",
		    "%s %s on %s copies the table and blocks writes: %s",
		    change ? "CHANGE" : "MODIFY", qold.buf, a->key.buf, reason);
		a->copy_said = true;
	} else if (prev && col.not_null && !col.auto_increment &&
		   !strncmp(strchr(prev, ':'), ":0:", 3)) {
		/* NULL -> NOT NULL: rebuilt in place, but every row read. */
		ml_report(c, ML_ADDING_REQUIRED_FIELD,
			  lvl(ML_ADDING_REQUIRED_FIELD), at,
			  "backfill the NULLs in batches first (UPDATE ... SET "
			  "col = ... WHERE col IS NULL LIMIT 1000, repeated), "
			  "make the code write the column, then MODIFY with "
			  "ALGORITHM=INPLACE, LOCK=NONE",
			  "%s %s on %s makes the column NOT NULL: the table is "
			  "rebuilt, and under strict mode the statement fails "
			  "on a row holding NULL (without it, the NULLs become "
			  "the type's implicit default)",
			  change ? "CHANGE" : "MODIFY", qold.buf, a->key.buf);
	} else if (!prev) {
		ml_report(c, ML_COPYING_TYPE_CHANGE, LINT_WARNING, at,
			  "lint the migration that created the table with "
			  "this one (--one-migration) so its type is known",
			  "%s %s on %s restates its type as %s; the current "
			  "type is unknown here: unless it is the same (or a "
			  "varchar widened within its length-byte class), the "
			  "table is copied while writes wait",
			  change ? "CHANGE" : "MODIFY", qold.buf, a->key.buf,
			  col.type ? col.type : "?");
	}
	ml_forget_column(c, a->schema, a->name, old);
	ml_set_coltype(c, a->schema, a->name, &col, mb);
	ml_auto_increment(c, at, a->key.buf, &col);
	strbuf_release(&k);
	strbuf_release(&qold);
	strbuf_release(&qnew);
	strbuf_release(&why);
	return 0;
}

/* DROP [COLUMN] x | PRIMARY KEY | INDEX/KEY/FOREIGN KEY/CHECK/CONSTRAINT x
 * | PARTITION ... */
static int drop_action(alter_ctx *a, my_tok *at)
{
	ml_ctx *c = a->c;
	my_ctx *p = &c->p;
	if (my_accept(p, "PRIMARY")) {
		need(a, CL_INPLACE);
		return my_expect(p, "KEY");
	}
	if (my_is(p, 0, "PARTITION") || my_is(p, 0, "SYSTEM") ||
	    my_is(p, 0, "PERIOD")) {
		my_skip_to_comma(p);
		need(a, CL_INPLACE);
		return 0;
	}
	bool other = false;
	if (my_accept(p, "FOREIGN"))
		other = !my_expect(p, "KEY");
	else
		other = my_accept(p, "INDEX") || my_accept(p, "KEY") ||
			my_accept(p, "CHECK") || my_accept(p, "CONSTRAINT");
	if (p->e->msg)
		return -1;
	if (!other)
		my_accept(p, "COLUMN");
	(void)(my_accept(p, "IF") && my_accept(p, "EXISTS"));
	char *name = my_ident(p, "a name");
	if (!name)
		return -1;
	if (other)
		return 0; /* metadata only */
	need(a, CL_INSTANT);
	ml_forget_column(c, a->schema, a->name, name);
	if (a->is_new)
		return 0;
	strbuf q = STRBUF_INIT;
	my_quote_ident(&q, name);
	ml_report(c, ML_BAN_DROP_COLUMN, lvl(ML_BAN_DROP_COLUMN), at,
		  "stop reading and writing the column in the deployed code "
		  "first (MySQL 8: ALTER COLUMN ... SET INVISIBLE), keep a "
		  "backup, drop it in a later release",
		  "DROP COLUMN %s on %s deletes its data for good and breaks "
		  "code that still uses it",
		  q.buf, a->key.buf);
	strbuf_release(&q);
	return 0;
}

/* RENAME COLUMN a TO b | RENAME INDEX/KEY a TO b | RENAME [TO|AS] t */
static int rename_action(alter_ctx *a, my_tok *at)
{
	ml_ctx *c = a->c;
	my_ctx *p = &c->p;
	if (my_accept(p, "COLUMN")) {
		char *old = my_ident(p, "a column name"), *name;
		if (!old || my_expect(p, "TO") ||
		    !(name = my_ident(p, "a column name")))
			return -1;
		strbuf k = STRBUF_INIT, qo = STRBUF_INIT, qn = STRBUF_INIT;
		ml_column_key(&k, a->schema, a->name, old);
		char *prev = strmap_get(&c->st->coltypes, k.buf);
		if (prev) {
			strmap_remove(&c->st->coltypes, k.buf);
			strbuf_reset(&k);
			ml_column_key(&k, a->schema, a->name, name);
			free(strmap_get(&c->st->coltypes, k.buf));
			strmap_put(&c->st->coltypes, k.buf, prev);
		}
		my_quote_ident(&qo, old);
		my_quote_ident(&qn, name);
		if (!a->is_new)
			ml_report(c, ML_RENAMING_COLUMN,
				  lvl(ML_RENAMING_COLUMN), at,
				  "add the new column, write both from the "
				  "code, backfill, switch the reads, drop the "
				  "old one in a later release",
				  "RENAME COLUMN %s TO %s on %s breaks the "
				  "deployed code that uses the old name",
				  qo.buf, qn.buf, a->key.buf);
		strbuf_release(&k);
		strbuf_release(&qo);
		strbuf_release(&qn);
		return 0;
	}
	if (my_accept(p, "INDEX") || my_accept(p, "KEY")) {
		if (!my_ident(p, "an index name") || my_expect(p, "TO") ||
		    !my_ident(p, "an index name"))
			return -1;
		return 0;
	}
	(void)(my_accept(p, "TO") || my_accept(p, "AS"));
	char *ns, *nn;
	if (my_qualname(p, &ns, &nn, "a table name"))
		return -1;
	strbuf nk = STRBUF_INIT;
	ml_table_key(&nk, ns, nn);
	if (!a->is_new)
		ml_report(c, ML_RENAMING_TABLE, lvl(ML_RENAMING_TABLE), at,
			  "create the new table (or a view of the new name "
			  "over the old one), switch the code, drop the old "
			  "name in a later release",
			  "RENAME TO %s on %s breaks the deployed code that "
			  "uses the old name",
			  nk.buf, a->key.buf);
	ml_rename_table(c, a->schema, a->name, ns, nn);
	strbuf_release(&nk);
	return 0;
}

static void rebuild(alter_ctx *a, const my_tok *at, const char *what)
{
	need(a, CL_INPLACE);
	if (a->is_new)
		return;
	ml_report(a->c, ML_REBUILD_COMMANDS, lvl(ML_REBUILD_COMMANDS), at,
		  "on a large table, run it with gh-ost or "
		  "pt-online-schema-change, or in a quiet hour",
		  "%s on %s rebuilds the whole table", what, a->key.buf);
	a->copy_said = true;
}

/* ALGORITHM [=] x | LOCK [=] x */
static int algo_lock(alter_ctx *a, bool algo)
{
	my_ctx *p = &a->c->p;
	my_accept_op(p, "=");
	my_tok *v = my_peek(p, 0);
	if (!my_ident(p, "a value"))
		return -1;
	const char *s = v->text;
	if (algo && !strcasecmp(s, "COPY")) {
		rebuild(a, v, "ALGORITHM=COPY");
	} else if (!algo &&
		   (!strcasecmp(s, "SHARED") || !strcasecmp(s, "EXCLUSIVE"))) {
		a->copy_said = true; /* the finding names the better LOCK */
		if (!a->is_new)
			ml_report(a->c, ML_LOCK_BLOCKS_WRITES,
				  lvl(ML_LOCK_BLOCKS_WRITES), v,
				  "LOCK=NONE (the server refuses when it "
				  "cannot let writes go on)",
				  "LOCK=%s on %s blocks %s for the whole ALTER",
				  s, a->key.buf,
				  strcasecmp(s, "SHARED") ? "reads and writes"
							  : "writes");
	} else if (algo ? strcasecmp(s, "DEFAULT") != 0
			: !strcasecmp(s, "NONE")) {
		a->ok = true;
	}
	return 0;
}

static int action(alter_ctx *a)
{
	my_ctx *p = &a->c->p;
	my_tok *at = my_peek(p, 0);
	if (my_accept(p, "ADD"))
		return add_action(a, at);
	if (my_accept(p, "MODIFY"))
		return modify_action(a, false);
	if (my_accept(p, "CHANGE"))
		return modify_action(a, true);
	if (my_accept(p, "DROP"))
		return drop_action(a, at);
	if (my_accept(p, "RENAME"))
		return rename_action(a, at);
	if (my_accept(p, "ALGORITHM"))
		return algo_lock(a, true);
	if (my_accept(p, "LOCK"))
		return algo_lock(a, false);
	if (my_is(p, 0, "PARTITION") && my_is(p, 1, "BY")) {
		rebuild(a, at, "PARTITION BY");
		my_skip_statement(p);
		return 0;
	}
	if (my_is(p, 0, "REMOVE") && my_is(p, 1, "PARTITIONING")) {
		rebuild(a, at, "REMOVE PARTITIONING");
		my_next(p);
		my_next(p);
		return 0;
	}
	static const char *const rebuilds[] = {"FORCE",	  "ENGINE", "TYPE",
					       "CONVERT", "ORDER",  NULL};
	for (int i = 0; rebuilds[i]; i++)
		if (my_is(p, 0, rebuilds[i])) {
			rebuild(a, at,
				!strcasecmp(at->text, "CONVERT")
				    ? "CONVERT TO CHARACTER SET"
				: !strcasecmp(at->text, "ORDER") ? "ORDER BY"
				: !strcasecmp(at->text, "FORCE") ? "FORCE"
								 : "ENGINE=");
			my_next(p);
			my_skip_to_comma(p);
			return 0;
		}
	if (at->kind != MT_WORD)
		return my_fail(p, at,
			       "expected an ALTER TABLE action, found "
			       "\"%.40s\"",
			       at->text);
	/* ALTER COLUMN ... SET DEFAULT / VISIBLE, ALTER INDEX ... VISIBLE,
	 * COMMENT=, AUTO_INCREMENT=, DEFAULT CHARSET=: metadata; partition
	 * maintenance and storage options: in place. */
	bool meta = my_is(p, 0, "ALTER") || my_is(p, 0, "COMMENT") ||
		    my_is(p, 0, "AUTO_INCREMENT") || my_is(p, 0, "DEFAULT") ||
		    my_is(p, 0, "CHARSET") || my_is(p, 0, "CHARACTER") ||
		    my_is(p, 0, "COLLATE");
	need(a, meta ? CL_META : CL_INPLACE);
	my_next(p);
	my_skip_to_comma(p);
	return 0;
}

int ml_alter_table(ml_ctx *c, int start, bool online)
{
	my_ctx *p = &c->p;
	(void)(my_accept(p, "IF") && my_accept(p, "EXISTS"));
	alter_ctx a = {
	    .c = c, .key = STRBUF_INIT, .cls = CL_META, .ok = online};
	if (my_qualname(p, &a.schema, &a.name, "a table name"))
		return -1;
	ml_table_key(&a.key, a.schema, a.name);
	a.is_new = ml_table_is_new(c, a.schema, a.name);
	int ret = 0;
	do {
		if ((ret = action(&a)) != 0)
			break;
	} while (my_accept_op(p, ","));
	if (!ret && !a.is_new && a.cls != CL_META && !a.ok && !a.copy_said) {
		strbuf sugg = STRBUF_INIT;
		ml_stmt_text(c, start, &sugg);
		strbuf_adds(&sugg, a.cls == CL_INSTANT
				       ? ", ALGORITHM=INSTANT;"
				       : ", ALGORITHM=INPLACE, LOCK=NONE;");
		ml_report(c, ML_REQUIRE_ALGORITHM_LOCK,
			  lvl(ML_REQUIRE_ALGORITHM_LOCK), &p->toks[start],
			  sugg.buf,
			  "ALTER TABLE %s without ALGORITHM= or LOCK=: the "
			  "server may copy the table and block writes instead "
			  "of failing",
			  a.key.buf);
		strbuf_release(&sugg);
	}
	if (!ret && !a.is_new)
		ml_lock_wait_check(c, &p->toks[start], "ALTER TABLE",
				   a.key.buf);
	strbuf_release(&a.key);
	return ret;
}
