/*
 * The single error convention: a function that can fail returns 0 on
 * success and -1 on failure, after filling the caller's `error` with the
 * exit-code class and a message built once, at the place that knows the
 * most (file:line:column, object name, server message).
 */
#ifndef SCHEMIG_ERROR_H
#define SCHEMIG_ERROR_H

/* Exit-code classes, as the man page's EXIT STATUS lists them. */
enum {
	EXIT_OK = 0,
	EXIT_FOUND = 1, /* the check found something (--exit-code) */
	EXIT_USAGE = 2, /* usage or input error */
	EXIT_DB = 3,	/* database or network failure */
};

typedef struct error {
	int code;  /* one of the EXIT_ classes; 0 while unset */
	char *msg; /* owned; NULL while unset */
} error;

#define ERROR_INIT                                                             \
	{                                                                      \
		0, NULL                                                        \
	}

/* Set (or replace) the error; always returns -1 so callers can
 * `return error_set(e, EXIT_USAGE, "...")`. */
int error_set(error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Put "context: " in front of an error that is already set. */
void error_prefix(error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void error_clear(error *e);

/* Print "warning: ..." on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
