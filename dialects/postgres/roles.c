/*
 * Roles a script names. Roles belong to the cluster, not the database:
 * a schema file that grants to app_reader or says OWNER TO app loads on
 * the production cluster but not on a throwaway one that schemig has
 * just created. Before a script is loaded there, every role it names is
 * created (NOLOGIN, no privileges), so that loading fails only for
 * reasons that are the schema's own.
 */
#include <libpq-fe.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strmap.h"
#include "conn.h"
#include "parse_tree.h"
#include "pg.h"

/*
 * Walk any message of the parse tree through protobuf-c's descriptors,
 * so that a role named anywhere (GRANT, OWNER TO, CREATE POLICY ... TO,
 * ALTER DEFAULT PRIVILEGES) is found without a case per statement kind.
 */
static void walk(const ProtobufCMessage *msg, strmap *roles)
{
	if (!msg)
		return;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	if (d == &pg_query__role_spec__descriptor) {
		const PgQuery__RoleSpec *r = (const PgQuery__RoleSpec *)msg;
		if (r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING &&
		    r->rolename && *r->rolename)
			strmap_put(roles, r->rolename, NULL);
		return;
	}
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		const char *base = (const char *)msg;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n =
			    *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *items = *(
			    ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				walk(items[k], roles);
		} else {
			/* Node is a oneof: its members share one pointer, and
			 * only the member the case field names is set. */
			if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
			    *(const uint32_t *)(base + f->quantifier_offset) !=
				f->id)
				continue;
			walk(*(ProtobufCMessage *const *)(base + f->offset),
			     roles);
		}
	}
}

static int find_roles(const PgQuery__ParseResult *tree, arena *tree_arena,
		      void *arg, error *e)
{
	(void)tree_arena;
	(void)e;
	walk(&tree->base, arg);
	return 0;
}

int pg_create_script_roles(const char *url, const char *sql, error *e)
{
	strmap roles;
	strmap_init(&roles);
	/* A script that does not parse (or nests too deeply) has nothing to
	 * prepare: loading it reports the error with its position. */
	error ignored = ERROR_INIT;
	pg_parse_tree(sql, NULL, find_roles, &roles, &ignored);
	error_clear(&ignored);

	int ret = 0;
	if (roles.count) {
		strbuf script = STRBUF_INIT;
		size_t pos = 0;
		strmap_entry *ent;
		while ((ent = strmap_next(&roles, &pos))) {
			const char *name = ent->key;
			/* DO blocks run the CREATE only where the role is
			 * missing; quote_ident and the literal keep any name
			 * from being read as SQL. */
			strbuf_adds(&script, "DO $schemig$ BEGIN IF NOT EXISTS "
					     "(SELECT FROM pg_roles WHERE "
					     "rolname = ");
			pg_quote_literal(&script, name);
			strbuf_adds(&script, ") THEN CREATE ROLE ");
			pg_quote_ident(&script, name);
			strbuf_adds(&script, " NOLOGIN; END IF; END "
					     "$schemig$;\n");
		}
		ret = pg_exec_script(url, script.buf, "roles", e);
		strbuf_release(&script);
	}
	strmap_release(&roles);
	return ret;
}
