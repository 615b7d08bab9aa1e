/*
 * myload: write to a MySQL/MariaDB table while a command runs (an apply)
 * and report what the writers went through: the proof that a step
 * planned as INSTANT or INPLACE with LOCK=NONE does not hold writes up.
 *
 *   myload --url URL --table T --exec COMMAND [--writers N]
 *          [--rate R] [--warmup-ms MS]
 *
 * Writers: N threads (default 2), each with its own connection, loop
 * over INSERT INTO T (v) VALUES (random) and UPDATE T SET v = v + 1
 * WHERE id = <random id among those present at start>, autocommit, as
 * fast as they can or, with --rate, R writes a second in all.
 * After --warmup-ms (300), `sh -c COMMAND` runs; the writers stop when
 * it ends. Printed, one JSON object on stdout: ops (writes that
 * completed while the command ran), errors (writes that failed then),
 * max_ms (the longest write that overlapped the command), over_100ms
 * (how many of those took longer than 100 ms), rc (the command's exit
 * status), cmd_start_unix_ms (when it started, by the wall clock),
 * mdl_wait_max_ms (the longest wait for a metadata lock a writer was
 * seen in by the server's clock, polled every 5 ms; polls: how many
 * polls ran), slow
 * (the first 32 writes over 50 ms: [when they started, in
 * ms after the command did, how long they took]).
 *
 * Exit: 0 the command succeeded, 1 it failed, 2 usage, 3 the database
 * could not be reached or T has no rows.
 */
#include <getopt.h>
#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../dialects/mysql/conn.h"
#include "../../util/strbuf.h"

typedef struct shared {
	const char *url, *table;
	long long max_id;
	double gap_ms; /* between two writes of one writer; 0: none */
	atomic_int stop;
	/* The command's run, in ms since the start (0 until it starts). */
	_Atomic double cmd_start, cmd_end;
	pthread_mutex_t mu;
	long long ops, errors, over;
	double max_ms;
	/* The slowest writes (> 50 ms): when they started, in ms after
	 * the command did, and how long they took. */
	double slow[32][2];
	int nslow;
	/* The longest wait for a metadata lock a writer was seen in, by
	 * the server's own clock (PROCESSLIST.TIME_MS), polled every 5 ms
	 * while the command runs. */
	double mdl_max_ms;
	int polls;
} shared;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void record(shared *s, double t0, double t1, bool ok)
{
	double start = s->cmd_start, end = s->cmd_end;
	/* Only writes that overlapped the command count. */
	if (start == 0 || t1 < start || (end != 0 && t0 > end))
		return;
	pthread_mutex_lock(&s->mu);
	if (ok)
		s->ops++;
	else
		s->errors++;
	if (t1 - t0 > s->max_ms)
		s->max_ms = t1 - t0;
	if (t1 - t0 > 100)
		s->over++;
	if (t1 - t0 > 50 && s->nslow < 32) {
		s->slow[s->nslow][0] = t0 - start;
		s->slow[s->nslow++][1] = t1 - t0;
	}
	pthread_mutex_unlock(&s->mu);
}

static void *writer(void *arg)
{
	shared *s = arg;
	MYSQL *c;
	error e = ERROR_INIT;
	unsigned seed = (unsigned)(uintptr_t)&c;
	mysql_thread_init();
	if (my_connect(s->url, &c, &e) < 0) {
		fprintf(stderr, "myload: %s\n", e.msg);
		error_clear(&e);
		mysql_thread_end();
		return NULL;
	}
	strbuf sql = STRBUF_INIT;
	for (long i = 0; !s->stop; i++) {
		strbuf_reset(&sql);
		if (i % 2)
			strbuf_addf(
			    &sql, "UPDATE %s SET v = v + 1 WHERE id = %lld",
			    s->table, 1 + (long long)rand_r(&seed) % s->max_id);
		else
			strbuf_addf(&sql, "INSERT INTO %s (v) VALUES (%d)",
				    s->table, rand_r(&seed) % 1000);
		double t0 = now_ms();
		bool ok = !mysql_real_query(c, sql.buf, sql.len);
		double t1 = now_ms();
		record(s, t0, t1, ok);
		if (!ok)
			usleep(1000);
		/* On its own schedule: a slow write is not made up for. */
		if (s->gap_ms > t1 - t0)
			usleep((useconds_t)((s->gap_ms - (t1 - t0)) * 1000));
	}
	strbuf_release(&sql);
	mysql_close(c);
	mysql_thread_end();
	return NULL;
}

/*
 * The writers' waits as the server sees them: a write held by DDL sits in
 * "Waiting for table metadata lock", and TIME_MS says for how long. Unlike
 * the client's clock, it does not count the time a loaded machine keeps
 * a writer (or the server) off the CPU.
 */
static void *poller(void *arg)
{
	shared *s = arg;
	MYSQL *c;
	error e = ERROR_INIT;
	mysql_thread_init();
	if (my_connect(s->url, &c, &e) < 0) {
		fprintf(stderr, "myload: %s\n", e.msg);
		error_clear(&e);
		mysql_thread_end();
		return NULL;
	}
	const char *q =
	    "SELECT MAX(TIME_MS) FROM information_schema.PROCESSLIST "
	    "WHERE STATE = 'Waiting for table metadata lock' AND "
	    "(INFO LIKE 'INSERT INTO %' OR INFO LIKE 'UPDATE %')";
	while (!s->stop) {
		my_rows r;
		if (s->cmd_start != 0 && s->cmd_end == 0 &&
		    my_query(c, q, &r, "poll", &e) == 0) {
			const char *v = my_rows_val(&r, 0, 0);
			double ms = v ? atof(v) : 0;
			pthread_mutex_lock(&s->mu);
			if (ms > s->mdl_max_ms)
				s->mdl_max_ms = ms;
			s->polls++;
			pthread_mutex_unlock(&s->mu);
			my_rows_release(&r);
		}
		error_clear(&e);
		usleep(5000);
	}
	mysql_close(c);
	mysql_thread_end();
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"table", required_argument, NULL, 't'},
	    {"exec", required_argument, NULL, 'x'},
	    {"writers", required_argument, NULL, 'w'},
	    {"warmup-ms", required_argument, NULL, 'm'},
	    {"rate", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0}};
	shared s = {.mu = PTHREAD_MUTEX_INITIALIZER};
	const char *cmd = NULL;
	int nw = 2, warm = 300, rate = 0, o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u':
			s.url = optarg;
			break;
		case 't':
			s.table = optarg;
			break;
		case 'x':
			cmd = optarg;
			break;
		case 'w':
			nw = atoi(optarg);
			break;
		case 'm':
			warm = atoi(optarg);
			break;
		case 'r':
			rate = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (!s.url || !s.table || !cmd || nw < 1 || nw > 16) {
		fprintf(stderr, "usage: myload --url URL --table T --exec "
				"COMMAND [--writers N] [--rate R] "
				"[--warmup-ms MS]\n");
		return 2;
	}
	MYSQL *c;
	error e = ERROR_INIT;
	my_rows r;
	strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "SELECT MAX(id) FROM %s", s.table);
	if (my_connect(s.url, &c, &e) < 0 ||
	    my_query(c, sql.buf, &r, "max id", &e) < 0) {
		fprintf(stderr, "myload: %s\n", e.msg);
		error_clear(&e);
		strbuf_release(&sql);
		return 3;
	}
	const char *v = my_rows_val(&r, 0, 0);
	s.max_id = v ? atoll(v) : 0;
	my_rows_release(&r);
	mysql_close(c);
	strbuf_release(&sql);
	if (s.max_id < 1) {
		fprintf(stderr, "myload: %s has no rows\n", s.table);
		return 3;
	}
	s.gap_ms = rate > 0 ? 1000.0 * nw / rate : 0;
	pthread_t th[16], poll;
	for (int i = 0; i < nw; i++)
		pthread_create(&th[i], NULL, writer, &s);
	pthread_create(&poll, NULL, poller, &s);
	usleep((useconds_t)warm * 1000);
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	s.cmd_start = now_ms();
	int st = system(cmd);
	s.cmd_end = now_ms();
	s.stop = 1;
	for (int i = 0; i < nw; i++)
		pthread_join(th[i], NULL);
	pthread_join(poll, NULL);
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	printf("{\"ops\": %lld, \"errors\": %lld, \"max_ms\": %.1f, "
	       "\"over_100ms\": %lld, \"cmd_ms\": %.1f, \"rc\": %d, "
	       "\"cmd_start_unix_ms\": %.0f, \"mdl_wait_max_ms\": %.1f, "
	       "\"polls\": %d, \"slow\": [",
	       s.ops, s.errors, s.max_ms, s.over, s.cmd_end - s.cmd_start, rc,
	       (double)wall.tv_sec * 1e3 + (double)wall.tv_nsec / 1e6,
	       s.mdl_max_ms, s.polls);
	for (int i = 0; i < s.nslow; i++)
		printf("%s[%.1f, %.1f]", i ? ", " : "", s.slow[i][0],
		       s.slow[i][1]);
	printf("]}\n");
	return rc ? 1 : 0;
}
