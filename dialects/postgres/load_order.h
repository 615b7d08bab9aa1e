/*
 * Inside pg_load_order (load_order.c reads the tree, load_order_sort.c
 * orders the statements): what each statement defines and names.
 */
#ifndef SCHEMIG_PG_LOAD_ORDER_H
#define SCHEMIG_PG_LOAD_ORDER_H

#include <stdbool.h>

#include "../../util/arena.h"

/* The namespaces names are matched in. Relations and types share one:
 * a table defines a row type of its own name. */
enum { NS_REL, NS_FUNC, NS_SCHEMA };

typedef struct lo_name {
	int ns;
	const char *schema; /* NULL: unqualified */
	const char *name;
} lo_name;

typedef struct lo_stmt {
	lo_name *defs; /* what it creates (or drops) */
	int ndefs, cdefs;
	lo_name *refs; /* what it names */
	int nrefs, crefs;
	bool drops;	 /* defs are dropped, not created */
	bool barrier;	 /* stays in place; nothing moves across it */
	lo_name *shapes; /* tables it adds columns or keys to */
	int nshapes, cshapes;
	int *deps; /* statements it must follow */
	int ndeps, cdeps;
	int *soft; /* statements it should follow: given up in a cycle */
	int nsoft, csoft;
} lo_stmt;

/* A LANGUAGE sql string body, parsed after the file. */
typedef struct lo_body {
	int stmt;
	char *text;
} lo_body;

typedef struct lo_ctx {
	arena a;
	lo_stmt *st;
	int n;
	int cur; /* the statement being read */
	lo_body *bodies;
	int nbodies, cbodies;
	bool bodies_unchecked; /* check_function_bodies is off here */
	bool hard_cycle;       /* set by lo_sort: statements that need each
				  other, which no order loads */
} lo_ctx;

/* The order to run c->st in: a malloc'd permutation, or NULL when the
 * file order already satisfies every dependency (load_order_sort.c). */
int *lo_sort(lo_ctx *c);

#endif
