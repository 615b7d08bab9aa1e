/*
 * Start-to-ready time of the throwaway server (the dialect's
 * server_start; dialects/postgres/server.c), for
 * bench/devstart.sh:
 *
 *   devstart N     start and stop a server N times; print, per start,
 *                  the milliseconds from server_start's call to its
 *                  return (the server accepts connections then), and
 *                  how the data directory was made (the last line of
 *                  the server directory's template.log, or "no
 *                  template.log": made from scratch)
 *
 * Stopping is not timed. Whether the template cache is used is up to the
 * environment (XDG_CACHE_HOME, SCHEMIG_NO_TEMPLATE_CACHE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dialects/dialect.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	const dialect *dl = dialect_find(NULL);
	if (!dl->server_start) {
		fprintf(stderr, "devstart: dialect %s has no throwaway servers\n",
			dl->name);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		dialect_server *d = NULL;
		error e = ERROR_INIT;
		double t0 = now_ms();
		if (dl->server_start(&d, &e) < 0) {
			fprintf(stderr, "devstart: %s\n", e.msg);
			error_clear(&e);
			return 1;
		}
		double ms = now_ms() - t0;
		char path[4096], line[4096] = "", last[4096] = "no template.log";
		snprintf(path, sizeof(path), "%s/template.log",
			 dl->server_dir ? dl->server_dir(d) : ".");
		FILE *f = dl->server_dir ? fopen(path, "r") : NULL;
		while (f && fgets(line, sizeof(line), f))
			snprintf(last, sizeof(last), "%s", line);
		if (f)
			fclose(f);
		last[strcspn(last, "\n")] = '\0';
		printf("%.0f\t%s\n", ms, last);
		fflush(stdout);
		dl->server_stop(d);
	}
	return 0;
}
