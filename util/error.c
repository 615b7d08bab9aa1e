#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "strbuf.h"

int error_set(error *e, int code, const char *fmt, ...)
{
	if (!e)
		return -1;
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(e->msg);
	e->msg = strbuf_detach(&sb);
	e->code = code ? code : EXIT_USAGE;
	return -1;
}

void error_prefix(error *e, const char *fmt, ...)
{
	if (!e || !e->msg)
		return;
	strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addf(&sb, ": %s", e->msg);
	free(e->msg);
	e->msg = strbuf_detach(&sb);
}

void error_clear(error *e)
{
	if (!e)
		return;
	free(e->msg);
	e->msg = NULL;
	e->code = 0;
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
