/*
 * Roles a script names (roles.c), for preparing a scratch database
 * (scratch_prep.c).
 */
#ifndef SCHEMIG_PG_ROLES_H
#define SCHEMIG_PG_ROLES_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "../../util/error.h"
#include "../../util/strmap.h"

/* Add to `roles` every role named anywhere under `msg` (GRANT, OWNER TO,
 * CREATE POLICY ... TO, ALTER DEFAULT PRIVILEGES, ...). */
void pg_collect_roles(const ProtobufCMessage *msg, strmap *roles);

/* On the cluster behind `url`: create (NOLOGIN) each of `roles` that is
 * missing, and make `loader` (when given) a member of each that is a
 * plain role: no superuser, LOGIN or other attribute, not pg_*. */
int pg_create_script_roles(const char *url, const strmap *roles,
			   const char *loader, error *e);

#endif
