#include "dialect.h"

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
