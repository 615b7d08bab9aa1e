/*
 * Internals of the MySQL/MariaDB DDL parser (my_parse): a lexer that
 * turns the whole file into tokens (lex.c), a recursive-descent parser
 * over them (parse*.c) that gathers tables, keys and routines in the
 * structures below, and a last pass (parse_emit.c) that names what the
 * server would name and writes the canonical model. Shared only between
 * dialects/mysql/lex.c and parse*.c.
 */
#ifndef SCHEMIG_MY_PARSE_INTERNAL_H
#define SCHEMIG_MY_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"

enum my_tok_kind {
	MT_EOF,
	MT_WORD,   /* a bare word: keyword or unquoted identifier */
	MT_QIDENT, /* `quoted identifier` */
	MT_STRING, /* 'string' or "string" (ANSI_QUOTES off) */
	MT_NUMBER, /* 12, 1.5, .5e3 */
	MT_HEX,	   /* x'4142' or 0x4142: text holds the hex digits */
	MT_BIT,	   /* b'101' or 0b101: text holds the bits */
	MT_OP,	   /* punctuation and operators */
	MT_DELIM,  /* the statement delimiter (";" or DELIMITER's) */
};

typedef struct my_tok {
	int kind;
	char *text;	   /* decoded: no quotes, escapes applied */
	size_t start, end; /* raw bytes in the source */
	int line, col;	   /* 1-based, of the first byte */
	bool space_before; /* whitespace or a comment before it */
	bool nl_before;	   /* a line break before it */
} my_tok;

/* One part of a key: a column with an optional prefix length, or an
 * expression (functional key part, already rendered). */
typedef struct my_keypart {
	char *column; /* NULL for an expression */
	char *expr;
	int prefix; /* 0: whole column */
	bool desc;
} my_keypart;

/* A PRIMARY KEY, UNIQUE, KEY, FULLTEXT or SPATIAL key. */
typedef struct my_key {
	char *name; /* NULL until named (parse_emit.c) */
	char kind;  /* 'p' primary, 'u' unique, 'i' plain, 'F' fulltext,
		       'S' spatial */
	M_ARRAY(my_keypart, parts);
	char *comment;
	const char *hidden; /* "IGNORED" (MariaDB), "INVISIBLE" (MySQL) */
} my_key;

typedef struct my_fkey {
	char *name;  /* NULL: <table>_ibfk_N */
	char *index; /* FOREIGN KEY index_name (...), or NULL */
	M_ARRAY(char *, columns);
	char *ref_schema, *ref_table;
	M_ARRAY(char *, ref_columns);
	char *on_delete, *on_update; /* "CASCADE"..., NULL for none */
} my_fkey;

typedef struct my_check {
	char *name;   /* NULL: named when emitted */
	char *expr;   /* rendered */
	char *column; /* a column-level CHECK: its column */
} my_check;

typedef struct my_table {
	char *schema, *name;
	bool dropped;
	M_ARRAY(m_column, columns);
	M_ARRAY(my_key, keys);
	M_ARRAY(my_fkey, fkeys);
	M_ARRAY(my_check, checks);
	int ibfk_next;	/* next <table>_ibfk_N */
	int check_next; /* next CONSTRAINT_N */
	char *comment, *engine, *charset, *collation, *row_format;
	char *key_block_size;
	char *partitioning;
	/* Columns hold their CHARACTER SET and COLLATE as written until
	 * parse_emit.c resolves them against the table's defaults. */
} my_table;

typedef struct my_ctx {
	model *m;
	error *e;
	const char *filename;
	const char *src;
	my_tok *toks;
	int ntoks, ctoks;
	int pos;
	/* The database the file is about: objects qualified with it, and
	 * unqualified ones while it is current, have the schema "". */
	char *home_db;
	char *cur_db; /* "" or another database after USE */
	/* The file's database's DEFAULT CHARACTER SET / COLLATE, which
	 * its tables without their own inherit. */
	char *db_charset, *db_collation;
	M_ARRAY(my_table, tables);
	/* CREATE ALGORITHM=.. SQL SECURITY .. VIEW: read before the
	 * statement's kind is known, upper-cased; NULL when not said. */
	char *view_algorithm, *view_security;
} my_ctx;

/* lex.c */
int my_lex(my_ctx *c);

/* parse.c: tokens and errors */
my_tok *my_peek(my_ctx *c, int ahead);
my_tok *my_next(my_ctx *c);
bool my_is(my_ctx *c, int ahead, const char *word); /* keyword, any case */
bool my_is_op(my_ctx *c, int ahead, const char *op);
bool my_accept(my_ctx *c, const char *word);
bool my_accept_op(my_ctx *c, const char *op);
int my_expect(my_ctx *c, const char *word);
int my_expect_op(my_ctx *c, const char *op);
int my_fail(my_ctx *c, const my_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void my_warn(my_ctx *c, const my_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
char *my_str(my_ctx *c, const char *s);
/* An identifier (bare word or backticks); NULL after an error. */
char *my_ident(my_ctx *c, const char *what);
/* [db.]name into schema ("" for the file's database) and name. */
int my_qualname(my_ctx *c, char **schema, char **name, const char *what);
/* Skip to the end of the statement (its delimiter, not consumed). */
void my_skip_statement(my_ctx *c);
/* Skip a balanced run of tokens up to `,`/`)` at depth 0. */
void my_skip_to_comma(my_ctx *c);
bool my_at_end(my_ctx *c);
my_table *my_find_table(my_ctx *c, const char *schema, const char *name);
my_table *my_add_table(my_ctx *c, const char *schema, const char *name);

/* parse_expr.c */
/* Render tokens [from, to) with the canonical spacing. */
char *my_render(my_ctx *c, int from, int to);
char *my_render_upper(my_ctx *c, int from, int to);
/* Consume a parenthesised expression and render its inside. */
char *my_paren_expr(my_ctx *c);
/* Render a statement's tokens [from, to) keeping line breaks (bodies). */
char *my_render_body(my_ctx *c, int from, int to);

/* parse_types.c */
int my_parse_type(my_ctx *c, m_column *col, char **charset, char **collation);
int my_parse_default(my_ctx *c, m_column *col, char **out);
/* CHARACTER SET x / CHARSET x / COLLATE x: 0 read, 1 none here. */
int my_charset_attr(my_ctx *c, char **charset, char **collation);
/* CURRENT_TIMESTAMP and synonyms as "current_timestamp([n])", or NULL. */
char *my_now(my_ctx *c);
void my_add_string_literal(strbuf *sb, const char *s);

/* parse_table.c */
int my_create_table(my_ctx *c);
/* A column definition after its name; inline keys go to `t`. */
int my_column_def(my_ctx *c, my_table *t, m_column *col, char **charset,
		  char **collation);
/* A table element that is not a column (key, FK, CHECK); 1 when the
 * tokens do not start one. */
int my_table_constraint(my_ctx *c, my_table *t);
int my_key_parts(my_ctx *c, my_key *k);
int my_table_options(my_ctx *c, my_table *t);

/* parse_alter.c */
int my_alter_table(my_ctx *c);
int my_create_index(my_ctx *c, char kind);
int my_drop(my_ctx *c);
int my_rename_table(my_ctx *c);
void my_drop_column_refs(my_ctx *c, my_table *t, const char *col);

/* parse_objects.c */
int my_create_view(my_ctx *c, int start);
int my_create_routine(my_ctx *c, int start, const char *kind);
/* DROP VIEW/TRIGGER/PROCEDURE/FUNCTION: 1 when found and dropped. */
int my_drop_object(my_ctx *c, const char *kind, const char *schema,
		   const char *name);

/* parse_emit.c */
/* At a statement's end: name unnamed keys, foreign keys and CHECKs, and
 * add the index a foreign key needs, as the server does. */
void my_settle_table(my_ctx *c, my_table *t);
int my_emit(my_ctx *c);

#endif
