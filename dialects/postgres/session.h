/*
 * Internal to the PostgreSQL dialect: its part of the dialect table's
 * "Sessions and the step envelope" block (see dialects/dialect.h).
 */
#ifndef SCHEMIG_PG_SESSION_H
#define SCHEMIG_PG_SESSION_H

#include "../dialect.h"

/* dialect->step_envelope (envelope.c). */
int pg_step_envelope(const plan_settings *st, const plan_step *s, bool rollback,
		     dialect_envelope *out, error *e);

#endif
