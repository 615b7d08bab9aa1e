#include "dialect.h"

#include <stdlib.h>
#include <string.h>

const dialect *dialect_find(const char *name)
{
	if (!name || !strcmp(name, "postgres") || !strcmp(name, "postgresql"))
		return &dialect_postgres;
	return NULL;
}

void dialect_envelope_release(dialect_envelope *env)
{
	for (int i = 0; i < env->nbefore; i++)
		free(env->before[i]);
	for (int i = 0; i < env->nafter; i++)
		free(env->after[i]);
	env->nbefore = env->nafter = 0;
}

void dialect_server_id_release(dialect_server_id *id)
{
	free(id->system);
	free(id->started);
	free(id->port);
	free(id->database);
	memset(id, 0, sizeof(*id));
}

/* The system identifier is compared only when both sides could read it:
 * a role refused it still has the other facts, which tell two running
 * servers apart. */
bool dialect_server_id_same(const dialect_server_id *a,
			    const dialect_server_id *b)
{
	if (a->system && b->system && strcmp(a->system, b->system))
		return false;
	return !strcmp(a->started, b->started) && !strcmp(a->port, b->port) &&
	       !strcmp(a->database, b->database);
}
