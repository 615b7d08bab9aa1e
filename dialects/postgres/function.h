/*
 * What a function is made of, spelled alike by the server and by the
 * parser. A function's `definition` is pg_get_functiondef() on a live
 * side and the deparser's text on a parsed one: two spellings of the
 * same statement that never agree byte for byte. The parts the server
 * keeps as they were given (the body between the dollar quotes, the
 * attributes, the argument defaults through pg_get_expr) are filled by
 * both sides into the same fields and compared instead (m_function).
 */
#ifndef SCHEMIG_PG_FUNCTION_H
#define SCHEMIG_PG_FUNCTION_H

#include <stdbool.h>

#include "../../schema/model.h"
#include "../../util/strbuf.h"

/* A function's attributes as pg_proc holds them. */
typedef struct pg_fn_attrs {
	const char *language; /* lanname: "sql", "plpgsql", "c" */
	char volatility;      /* provolatile: 'i', 's', 'v' */
	char parallel;	      /* proparallel: 's', 'r', 'u' */
	bool strict, security_definer, leakproof, returns_set;
	double cost, rows;	 /* procost, prorows */
	const char *support;	 /* prosupport as regproc prints it, or NULL */
	const char *transforms;	 /* TRANSFORM FOR TYPE list: "hstore, ..."
				    (format_type, comma-space), or NULL */
	const char *module;	 /* probin (C functions), or NULL */
	const char *const *sets; /* proconfig: "name=value", in order */
	int nsets;
} pg_fn_attrs;

/* One canonical line: "LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
 * LEAKPROOF PARALLEL SAFE COST 5 ROWS 6 SUPPORT f TRANSFORM hstore
 * MODULE '$libdir/x' SET search_path=pg_catalog, audit"; an attribute at
 * its default is left out (VOLATILE, PARALLEL UNSAFE, COST 100, or 1 for
 * C and internal functions, ROWS 1000 for a set, 0 otherwise). */
void pg_fn_attributes(strbuf *sb, const pg_fn_attrs *a);
/* CREATE FUNCTION's defaults for COST and ROWS. */
double pg_fn_default_cost(const char *language);
double pg_fn_default_rows(bool returns_set);

/* True when the two functions have the same arguments, names and
 * defaults included: what CREATE OR REPLACE cannot change. */
bool pg_fn_same_header(const m_function *a, const m_function *b);
/* True when nothing about them differs (kind aside). */
bool pg_fn_same(const m_function *a, const m_function *b);

#endif
