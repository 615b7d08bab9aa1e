/*
 * Start-to-ready time of the throwaway server (source/devserver.c), for
 * bench/devstart.sh:
 *
 *   devstart N     start and stop a server N times; print, per start,
 *                  the milliseconds from devserver_start's call to its
 *                  return (the server accepts connections then), and
 *                  how the data directory was made (the last line of
 *                  its template.log, or "initdb")
 *
 * Stopping is not timed. Whether the template cache is used is up to the
 * environment (XDG_CACHE_HOME, SCHEMIG_NO_TEMPLATE_CACHE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dialects/postgres/server.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	for (int i = 0; i < n; i++) {
		devserver *d = NULL;
		error e = ERROR_INIT;
		double t0 = now_ms();
		if (devserver_start(&d, &e) < 0) {
			fprintf(stderr, "devstart: %s\n", e.msg);
			error_clear(&e);
			return 1;
		}
		double ms = now_ms() - t0;
		char path[4096], line[4096] = "", last[4096] = "initdb";
		snprintf(path, sizeof(path), "%s/template.log",
			 devserver_dir(d));
		FILE *f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			snprintf(last, sizeof(last), "%s", line);
		if (f)
			fclose(f);
		last[strcspn(last, "\n")] = '\0';
		printf("%.0f\t%s\n", ms, last);
		fflush(stdout);
		devserver_stop(d);
	}
	return 0;
}
