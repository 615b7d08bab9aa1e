/*
 * Inside the MySQL planner (plan.c): the probe that learns how the
 * server runs each step (plan_probe.c).
 */
#ifndef SCHEMIG_MYSQL_PLAN_INTERNAL_H
#define SCHEMIG_MYSQL_PLAN_INTERNAL_H

#include "../../plan/plan.h"
#include "../dialect.h"
#include "mysql.h"

/* How the server ran a step on the probe's copy: the ALGORITHM and LOCK
 * it took (static text; name NULL: not probed), and the statement with
 * them said (malloc'd; NULL: the diff's statement as it is). */
typedef struct my_algo {
	const char *name, *lock;
	char *clause;
} my_algo;

void my_algo_release(my_algo *al);

typedef struct my_probe my_probe;

/* A database of the probe's own on the server of `url`, holding empty
 * copies of the tables the steps touch. When the server refuses one
 * (no privilege to create a database), *out is still set: its steps
 * say they were not probed, and why. */
int my_probe_open(const char *url, my_probe **out, error *e);
/* Run statement `s` on the copies with the cheapest ALGORITHM the
 * server takes, and say which in *al. Fails only for a lost
 * connection; a statement the server refuses is noted as not probed. */
int my_probe_step(my_probe *pr, const diff_stmt *s, my_algo *al, error *e);
/* After every step ran: `undo`, the rollback of the step statement `s`
 * made (plan text, ending ";\n"), with the cheapest ALGORITHM the
 * server takes on the copies as the steps after it left them (undone
 * in reverse order). */
int my_probe_undo(my_probe *pr, const diff_stmt *s, const char *undo,
		  my_algo *al, error *e);
/* "MariaDB 10.11.19": the server the probe asked; NULL when not. */
const char *my_probe_server(const my_probe *pr);
/* Why the probe could not run, or NULL. */
const char *my_probe_skipped(const my_probe *pr);
/* The rows and bytes (data and indexes) of a table of the source, as
 * InnoDB estimates them; -1 (both -1) when unknown. */
int my_probe_table_size(my_probe *pr, const char *schema, const char *table,
			long long *rows, long long *bytes);
/* Drop the probe's database and close (NULL: nothing). */
void my_probe_close(my_probe *pr);

/* plan_checks.c: is `to` narrower than `from` (a shorter char or
 * varchar, a smaller integer) so that existing values may not fit? */
bool my_type_narrows(const char *from, const char *to);

/* plan_backfill.c: a step filling the NULLs of a column made NOT NULL
 * with a default, before statement `s` (batched by apply); its number,
 * or 0 when `s` needs none. */
int my_plan_backfill(plan *p, const diff_stmt *s);

/* plan_guard.c: step `st`'s guards (plan_step.guard), for statement
 * `s` that made it, once its rollback is set. */
void my_plan_guard(plan *p, plan_step *st, const diff_stmt *s);

#endif
