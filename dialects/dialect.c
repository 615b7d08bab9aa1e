#include "dialect.h"

#include <stdlib.h>
#include <string.h>

const dialect *dialect_find(const char *name)
{
	if (!name || !strcmp(name, "postgres") || !strcmp(name, "postgresql"))
		return &dialect_postgres;
	return NULL;
}

/* --- Servers and databases --- */

/* Every dialect this build knows, for the questions that are asked of
 * all of them (whose URL is this?). */
static const dialect *const known_dialects[] = {&dialect_postgres, NULL};

const dialect *dialect_for_url(const char *spec)
{
	for (int i = 0; known_dialects[i]; i++)
		if (known_dialects[i]->claims_url &&
		    known_dialects[i]->claims_url(spec))
			return known_dialects[i];
	return NULL;
}

void dialect_add_url_forms(strbuf *sb)
{
	const char *sep = "";
	for (int i = 0; known_dialects[i]; i++)
		if (known_dialects[i]->url_forms) {
			strbuf_addf(sb, "%s%s", sep,
				    known_dialects[i]->url_forms);
			sep = " or ";
		}
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
