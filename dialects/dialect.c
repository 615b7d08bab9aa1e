#include "dialect.h"

#include <string.h>

const dialect *dialect_find(const char *name)
{
	if (!name || !strcmp(name, "postgres") || !strcmp(name, "postgresql"))
		return &dialect_postgres;
	return NULL;
}
