#include "dialect.h"

#include <stdlib.h>
#include <string.h>

/* Every dialect this build knows, the default first: the one list that
 * names them (dialect_find, dialect_for_url), plus the ones registered
 * at run time (dialect_register). */
#define DIALECT_MAX 8
static const dialect *known_dialects[DIALECT_MAX + 1] = {&dialect_postgres,
							 &dialect_mysql, NULL};

int dialect_register(const dialect *d)
{
	int n = 0;
	while (known_dialects[n]) {
		if (known_dialects[n] == d)
			return 0;
		if (!strcmp(known_dialects[n]->name, d->name))
			return -1;
		n++;
	}
	if (n == DIALECT_MAX)
		return -1;
	known_dialects[n] = d;
	return 0;
}

const dialect *dialect_find(const char *name)
{
	if (!name)
		return known_dialects[0];
	/* PostgreSQL's own name for itself, as in its URLs; MariaDB is
	 * MySQL's dialect. */
	if (!strcmp(name, "postgresql"))
		name = "postgres";
	else if (!strcmp(name, "mariadb"))
		name = "mysql";
	for (int i = 0; known_dialects[i]; i++)
		if (!strcmp(known_dialects[i]->name, name))
			return known_dialects[i];
	return NULL;
}

const char *dialect_planned(const char *name)
{
	/* Databases on the way (README, "Databases"): named here once, so
	 * that the configuration, the commands and URLs say "not
	 * supported yet" rather than "unknown". MariaDB is MySQL's. */
	static const char *const planned[][2] = {{"sqlserver", "sqlserver"}};
	for (size_t i = 0; name && i < sizeof(planned) / sizeof(*planned); i++)
		if (!strcmp(name, planned[i][0]))
			return planned[i][1];
	return NULL;
}

/* --- Servers and databases --- */

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
void dialect_free_names(char **names)
{
	for (char **n = names; n && *n; n++)
		free(*n);
	free(names);
}

bool dialect_server_id_same(const dialect_server_id *a,
			    const dialect_server_id *b)
{
	/* A fact one side does not know (NULL) decides nothing. */
	const char *fa[] = {a->system, a->started, a->port, a->database};
	const char *fb[] = {b->system, b->started, b->port, b->database};
	for (size_t i = 0; i < sizeof(fa) / sizeof(*fa); i++)
		if (fa[i] && fb[i] && strcmp(fa[i], fb[i]))
			return false;
	return true;
}
