/*
 * Preparing a scratch database for a schema file that is loaded by a
 * non-superuser role (dialect->prepare_scratch, see scratch.h).
 *
 * The file comes from the branch under review and may be hostile, so it
 * never runs as a superuser. What a plain schema still needs a superuser
 * for is done here first, by the database's privileged creator, driven
 * by the parse tree (never by searching the text):
 *
 *   - the roles it names (throwaway cluster only, roles.c);
 *   - CREATE EXTENSION of an installed extension the loader may not
 *     create itself: created ahead when it is on a short list of
 *     extensions that give no access to the server's files, programs or
 *     network, and refused with file:line otherwise. Trusted extensions
 *     (pgcrypto, hstore, citext, ...) need nothing: the loader owns the
 *     database and creates them itself (PostgreSQL 13+);
 *   - ALTER ... OWNER TO another role (pg_dump's OWNER TO postgres), and
 *     ALTER DEFAULT PRIVILEGES FOR ROLE naming an existing role the
 *     loader cannot act as: owners and default privileges are not part
 *     of the schema model, so these statements are dropped rather than
 *     run. (A non-superuser may not give an object away to a role that
 *     lacks CREATE on its schema, which a fresh role always does.)
 *
 * Statements done or dropped here are blanked in the text that is loaded
 * (spaces, newlines kept), so that line numbers in messages still hold.
 */
#include <libpq-fe.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "parse_tree.h"
#include "pg.h"
#include "roles.h"

/*
 * Extensions that only a superuser may create and that are still safe to
 * create for a hostile file: their functions reach no file, program or
 * other server, and those that read server internals are kept from
 * PUBLIC by the extension itself. Deliberately absent: adminpack
 * (writes files), file_fdw (reads files, runs programs), dblink and
 * postgres_fdw (connect out, e.g. back to the cluster as a trusted
 * superuser), the untrusted languages (plpython3u, plperlu, pltclu),
 * xml2 (fetches documents), pg_surgery, pg_walinspect, old_snapshot.
 */
static const char *const precreate_ok[] = {
    "amcheck",
    "autoinc",
    "bloom",
    "earthdistance",
    "insert_username",
    "intagg",
    "moddatetime",
    "pageinspect",
    "pg_buffercache",
    "pg_freespacemap",
    "pg_prewarm",
    "pg_stat_statements",
    "pg_visibility",
    "pgrowlocks",
    "pgstattuple",
    "refint",
    NULL,
};

typedef struct prep {
	const scratch_target *t;
	PGconn *conn;
	char *text; /* what will be loaded; statements blanked in place */
	const char *filename;
	strmap precreated; /* extensions created here */
	strmap can_act_as; /* role -> 1 loader may act as it, 0 not */
	bool parsed;	   /* the text parsed: its errors are ours */
} prep;

static bool on_list(const char *name)
{
	for (int i = 0; precreate_ok[i]; i++)
		if (!strcmp(name, precreate_ok[i]))
			return true;
	return false;
}

/* [loc, loc + len) of a statement; len 0 means "to the end". */
static size_t stmt_end(const prep *p, const PgQuery__RawStmt *raw)
{
	size_t n = strlen(p->text), loc = (size_t)raw->stmt_location;
	size_t end = raw->stmt_len ? loc + (size_t)raw->stmt_len : n;
	return end > n ? n : end;
}

static void blank(prep *p, const PgQuery__RawStmt *raw)
{
	for (size_t i = (size_t)raw->stmt_location; i < stmt_end(p, raw); i++)
		if (p->text[i] != '\n')
			p->text[i] = ' ';
}

/* The line a statement starts on: past blanks and comments. */
static int stmt_line(const prep *p, const PgQuery__RawStmt *raw)
{
	const char *s = p->text;
	size_t i = (size_t)raw->stmt_location, end = stmt_end(p, raw);
	while (i < end) {
		if (strchr(" \t\r\n\f", s[i])) {
			i++;
		} else if (s[i] == '-' && s[i + 1] == '-') {
			while (i < end && s[i] != '\n')
				i++;
		} else if (s[i] == '/' && s[i + 1] == '*') {
			const char *close = strstr(s + i + 2, "*/");
			i = close ? (size_t)(close - s) + 2 : end;
		} else {
			break;
		}
	}
	int line = 1;
	for (size_t k = 0; k < i; k++)
		line += s[k] == '\n';
	return line;
}

static const char *def_string(const PgQuery__Node *arg)
{
	return arg && arg->node_case == PG_QUERY__NODE__NODE_STRING
		   ? arg->string->sval
		   : NULL;
}

/* One boolean from a query with text parameters; false on failure. */
static bool query_bool(PGconn *conn, const char *sql, int n,
		       const char *const *params)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	bool yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		   !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return yes;
}

/* Whether the loader may create the extension itself: trusted (13+) or
 * not superuser-only, in the version asked for or else the default. */
static bool loader_may_create(PGconn *conn, const char *name,
			      const char *version)
{
	const char *params[] = {name, version};
	return query_bool(
	    conn,
	    PQserverVersion(conn) >= 130000
		? "SELECT EXISTS (SELECT FROM pg_available_extension_versions "
		  "v WHERE v.name = $1 AND (v.trusted OR NOT v.superuser) AND "
		  "v.version = coalesce($2, (SELECT default_version FROM "
		  "pg_available_extensions WHERE name = $1)))"
		: "SELECT EXISTS (SELECT FROM pg_available_extension_versions "
		  "v WHERE v.name = $1 AND NOT v.superuser AND v.version = "
		  "coalesce($2, (SELECT default_version FROM "
		  "pg_available_extensions WHERE name = $1)))",
	    2, params);
}

static int create_extension(prep *p, const PgQuery__RawStmt *raw,
			    const PgQuery__CreateExtensionStmt *ce, error *e)
{
	const char *name = ce->extname, *schema = NULL, *version = NULL;
	for (size_t i = 0; i < ce->n_options; i++) {
		const PgQuery__Node *o = ce->options[i];
		if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		const PgQuery__DefElem *d = o->def_elem;
		if (!strcmp(d->defname, "schema"))
			schema = def_string(d->arg);
		else if (!strcmp(d->defname, "new_version"))
			version = def_string(d->arg);
	}
	const char *params[] = {name};
	/* Present already, or not installed on this server: the load says
	 * what the server says, as it always did. */
	if (query_bool(p->conn,
		       "SELECT EXISTS (SELECT FROM pg_extension WHERE extname "
		       "= $1) OR NOT EXISTS (SELECT FROM "
		       "pg_available_extensions WHERE name = $1)",
		       1, params) ||
	    loader_may_create(p->conn, name, version))
		return 0;
	if (!on_list(name))
		return error_set(
		    e, EXIT_USAGE,
		    "%s:%d: CREATE EXTENSION %s: only a superuser may create "
		    "this extension, and it can reach the server's files, "
		    "programs or network; schemig loads schema files without "
		    "superuser and does not create it for them",
		    p->filename, stmt_line(p, raw), name);
	/* CASCADE is left out on purpose: whatever it would pull in must
	 * pass this same check on its own. */
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "CREATE EXTENSION IF NOT EXISTS ");
	pg_quote_ident(&sql, name);
	/* Where a fresh session of the loader would put it. */
	strbuf_adds(&sql, " SCHEMA ");
	pg_quote_ident(&sql, schema ? schema : pg_search_path_first(p->t));
	if (version) {
		strbuf_adds(&sql, " VERSION ");
		pg_quote_literal(&sql, version);
	}
	PGresult *r = PQexec(p->conn, sql.buf);
	int ret = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		strbuf msg = STRBUF_INIT;
		strbuf_adds(&msg, PQresultErrorMessage(r));
		strbuf_trim(&msg);
		ret = error_set(e, EXIT_USAGE,
				"%s:%d: CREATE EXTENSION %s: cannot create it "
				"ahead of loading the file: %s",
				p->filename, stmt_line(p, raw), name, msg.buf);
		strbuf_release(&msg);
	} else {
		strmap_put(&p->precreated, name, NULL);
		blank(p, raw);
	}
	PQclear(r);
	strbuf_release(&sql);
	return ret;
}

/* An existing role the loader is not a member of (memoised). */
static bool foreign_role(prep *p, const PgQuery__RoleSpec *r)
{
	intptr_t v;
	if (!r || r->roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING)
		return false; /* CURRENT_USER and the like: the loader */
	if (!strmap_get_int(&p->can_act_as, r->rolename, &v)) {
		const char *params[] = {r->rolename, p->t->loader};
		v = query_bool(p->conn,
			       "SELECT EXISTS (SELECT FROM pg_roles WHERE "
			       "rolname = $1 AND NOT pg_has_role($2, oid, "
			       "'MEMBER'))",
			       2, params);
		strmap_put_int(&p->can_act_as, r->rolename, v);
	}
	return v != 0;
}

/* A role other than the loader, by name. */
static bool other_role(const prep *p, const PgQuery__RoleSpec *r)
{
	return r && r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING &&
	       strcmp(r->rolename, p->t->loader);
}

/* ALTER ... OWNER TO, ALTER TABLE of owner changes only: true when the
 * object goes to another role. ALTER DEFAULT PRIVILEGES FOR ROLE: true
 * when it names a foreign role. */
static bool foreign_owner(prep *p, const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
		return other_role(p, n->alter_owner_stmt->newowner);
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		const PgQuery__AlterTableStmt *a = n->alter_table_stmt;
		bool any = false;
		for (size_t i = 0; i < a->n_cmds; i++) {
			const PgQuery__Node *c = a->cmds[i];
			if (c->node_case !=
				PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
			    c->alter_table_cmd->subtype !=
				PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
				return false;
			any |= other_role(p, c->alter_table_cmd->newowner);
		}
		return any;
	}
	case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT: {
		const PgQuery__AlterDefaultPrivilegesStmt *a =
		    n->alter_default_privileges_stmt;
		for (size_t i = 0; i < a->n_options; i++) {
			const PgQuery__Node *o = a->options[i];
			if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
			    strcmp(o->def_elem->defname, "roles") ||
			    !o->def_elem->arg ||
			    o->def_elem->arg->node_case !=
				PG_QUERY__NODE__NODE_LIST)
				continue;
			const PgQuery__List *l = o->def_elem->arg->list;
			for (size_t k = 0; k < l->n_items; k++)
				if (l->items[k]->node_case ==
					PG_QUERY__NODE__NODE_ROLE_SPEC &&
				    foreign_role(p, l->items[k]->role_spec))
					return true;
		}
		return false;
	}
	default:
		return false;
	}
}

/* COMMENT ON EXTENSION x for an extension created here: only its owner
 * (the superuser) may comment, and comments on extensions are not part
 * of the model. */
static bool comment_on_precreated(const prep *p, const PgQuery__Node *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_COMMENT_STMT ||
	    n->comment_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION)
		return false;
	const char *name = def_string(n->comment_stmt->object);
	return name && strmap_contains(&p->precreated, name);
}

/* CREATE SCHEMA of a search-path schema made ahead of the load (a plain
 * one: with schema elements it is left to fail as "already exists"). */
static bool creates_path_schema(const prep *p, const PgQuery__Node *n)
{
	return n->node_case == PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT &&
	       !n->create_schema_stmt->n_schema_elts &&
	       n->create_schema_stmt->schemaname &&
	       pg_search_path_creates(p->t, n->create_schema_stmt->schemaname);
}

static int prepare_statements(prep *p, const PgQuery__ParseResult *tree,
			      error *e)
{
	for (size_t i = 0; i < tree->n_stmts; i++) {
		const PgQuery__RawStmt *raw = tree->stmts[i];
		const PgQuery__Node *n = raw->stmt;
		if (!n)
			continue;
		if (n->node_case ==
		    PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT) {
			if (create_extension(p, raw, n->create_extension_stmt,
					     e) < 0)
				return -1;
		} else if (foreign_owner(p, n) || comment_on_precreated(p, n)) {
			blank(p, raw);
		}
	}
	return 0;
}

/* Runs on pg_parse_tree's thread, which holds the deepest tree it lets
 * through: every walk over the tree must. */
static int prepare_tree(const PgQuery__ParseResult *tree, arena *tree_arena,
			void *arg, error *e)
{
	prep *p = arg;
	const scratch_target *t = p->t;
	strmap roles;
	(void)tree_arena;
	p->parsed = true;
	strmap_init(&roles);
	pg_collect_roles(&tree->base, &roles);
	int ret = t->own_server
		      ? pg_create_script_roles(t->url, &roles, t->loader, e)
		      : 0;
	if (!ret && t->loader && pg_connect(t->url, &p->conn, e) < 0)
		ret = -1;
	for (size_t i = 0; !ret && i < tree->n_stmts; i++)
		if (tree->stmts[i]->stmt &&
		    creates_path_schema(p, tree->stmts[i]->stmt))
			blank(p, tree->stmts[i]);
	if (!ret && t->loader) {
		/* pg_catalog only: an earlier file, loaded by the loader,
		 * may have put look-alike functions or operators in public. */
		PQclear(PQexec(p->conn, "SET search_path = ''"));
		ret = prepare_statements(p, tree, e);
	}
	PQfinish(p->conn);
	p->conn = NULL;
	strmap_release(&roles);
	return ret;
}

int pg_prepare_scratch(const scratch_target *t, const char *sql,
		       const char *filename, char **load_sql, error *e)
{
	*load_sql = NULL;
	/* Loaded as the database's creator itself (a dev URL that may not
	 * create roles): nothing to prepare, as before loaders existed. */
	if (pg_scratch_search_path(t, e) < 0)
		return -1;
	if (!t->loader && !t->own_server && !t->search_path)
		return 0;
	/* pg_dump's \restrict lines are blanked by the load too. */
	char *text = pg_blank_meta_commands(sql);
	prep p = {.t = t, .text = text, .filename = filename};
	strmap_init(&p.precreated);
	strmap_init(&p.can_act_as);
	/* A syntax error, or a tree nested too deeply, is the load's to
	 * report with its position (the server refuses both too): there
	 * is nothing to prepare then. */
	error perr = ERROR_INIT;
	int ret = pg_parse_tree(text, filename, prepare_tree, &p, &perr);
	if (ret < 0 && !p.parsed) {
		error_clear(&perr);
		ret = 0;
	} else if (ret < 0) {
		error_set(e, perr.code, "%s", perr.msg);
		error_clear(&perr);
	}
	strmap_release(&p.precreated);
	strmap_release(&p.can_act_as);
	if (ret < 0)
		free(text);
	else
		*load_sql = text;
	return ret;
}
