/*
 * Roles a script names. Roles belong to the cluster, not the database:
 * a schema file that grants to app_reader or says OWNER TO app loads on
 * the production cluster but not on a throwaway one that schemig has
 * just created. Before a script is loaded there, every role it names is
 * created (NOLOGIN, no privileges), so that loading fails only for
 * reasons that are the schema's own. The file is loaded by a
 * non-superuser role, which is made a member of those fresh roles (never
 * of a superuser, a LOGIN role or a predefined pg_* role), so that it can
 * say OWNER TO app or CREATE SCHEMA ... AUTHORIZATION app.
 */
#include <libpq-fe.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "pg.h"
#include "roles.h"

/*
 * Walk any message of the parse tree through protobuf-c's descriptors,
 * so that a role named anywhere (GRANT, OWNER TO, CREATE POLICY ... TO,
 * ALTER DEFAULT PRIVILEGES) is found without a case per statement kind.
 */
void pg_collect_roles(const ProtobufCMessage *msg, strmap *roles)
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
				pg_collect_roles(items[k], roles);
		} else {
			/* Node is a oneof: its members share one pointer, and
			 * only the member the case field names is set. */
			if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
			    *(const uint32_t *)(base + f->quantifier_offset) !=
				f->id)
				continue;
			pg_collect_roles(
			    *(ProtobufCMessage *const *)(base + f->offset),
			    roles);
		}
	}
}

char *pg_dollar_tag(const char *body)
{
	strbuf tag = STRBUF_INIT;
	strbuf_adds(&tag, "$schemig$");
	for (unsigned n = 1; strstr(body, tag.buf); n++) {
		strbuf_reset(&tag);
		strbuf_addf(&tag, "$schemig_%u$", n);
	}
	return strbuf_detach(&tag);
}

/* The body of the DO block for one role: create it where it is missing,
 * and let the loader act as it when it is a plain role. */
static void role_block(strbuf *body, const char *name, const char *loader)
{
	strbuf lit = STRBUF_INIT;
	/* quote_ident and the literal keep any name from being read as
	 * SQL; the dollar-quote tag around it is one the name lacks. */
	pg_quote_literal(&lit, name);
	strbuf_addf(body,
		    " BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE "
		    "rolname = %s) THEN CREATE ROLE ",
		    lit.buf);
	pg_quote_ident(body, name);
	strbuf_adds(body, " NOLOGIN; END IF;");
	if (loader && strcmp(name, loader) && strncmp(name, "pg_", 3)) {
		strbuf_addf(body,
			    " IF EXISTS (SELECT FROM pg_roles WHERE rolname "
			    "= %s AND NOT (rolsuper OR rolcreaterole OR "
			    "rolcreatedb OR rolreplication OR rolbypassrls "
			    "OR rolcanlogin)) THEN GRANT ",
			    lit.buf);
		pg_quote_ident(body, name);
		strbuf_adds(body, " TO ");
		pg_quote_ident(body, loader);
		strbuf_adds(body, "; END IF;");
	}
	strbuf_adds(body, " END ");
	strbuf_release(&lit);
}

int pg_create_script_roles(const char *url, const strmap *roles,
			   const char *loader, error *e)
{
	if (!roles->count)
		return 0;
	strbuf script = STRBUF_INIT, body = STRBUF_INIT;
	size_t pos = 0;
	strmap_entry *ent;
	while ((ent = strmap_next(roles, &pos))) {
		strbuf_reset(&body);
		role_block(&body, ent->key, loader);
		char *tag = pg_dollar_tag(body.buf);
		strbuf_addf(&script, "DO %s%s%s;\n", tag, body.buf, tag);
		free(tag);
	}
	int ret = pg_exec_script(url, script.buf, "roles", e);
	strbuf_release(&body);
	strbuf_release(&script);
	return ret;
}
