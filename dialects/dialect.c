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
