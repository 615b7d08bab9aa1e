#include "server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../util/strbuf.h"
#include "../../util/sandbox.h"
#include "../../util/xalloc.h"
#include "devtemplate.h"

/* The socket lives in our private directory, so a fixed port number can
 * never clash with another server: it only names the socket file. */
#define DEV_PORT 5432

/* Each program gets a log of its own, created new by that program's user
 * (sandbox_create_file refuses an existing name). */
#define INITDB_LOG   "initdb.log"
#define SERVER_LOG   "server.log"
#define TEMPLATE_LOG "template.log"
#define PUBLISH_LOG  "publish.log"
/* Where a server log goes when a copy of the template did not start and
 * the server is started again from a fresh initdb. */
#define SERVER_LOG_TEMPLATE "server-template.log"
#define DATA_DIR	    "data"

/* After -D DIR; part of the template cache's key (devtemplate.c). */
const char *const devserver_initdb_args[] = {
    "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N", NULL};

extern char **environ;

struct dialect_server {
	char dir[PATH_MAX];
	/* Opened by us right after mkdtemp: every later file in the
	 * directory is reached through it, never through the path, which
	 * the unprivileged user could swap for a symlink (root mode). */
	int dirfd;
	/* Read by the signal handler: set only once the thing exists. */
	volatile sig_atomic_t dir_made;
	volatile pid_t child; /* initdb or the postmaster, 0 when none */
	volatile sig_atomic_t child_is_postmaster;
	char *bindir;
	char *url;
	int major;
};

const char *devserver_url(const devserver *d)
{
	return d->url;
}

const char *devserver_dir(const devserver *d)
{
	return d->dir;
}

int devserver_major(const devserver *d)
{
	return d->major;
}

char *devserver_describe(const devserver *d)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "PostgreSQL %d", d->major);
	return strbuf_detach(&sb);
}

static bool has_initdb(const char *dir)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/initdb", dir);
	bool ok = access(p.buf, X_OK) == 0;
	strbuf_release(&p);
	return ok;
}

/* Run argv (searched on PATH) and collect its stdout; -1 when it cannot
 * run or exits non-zero. */
static int run_capture(char *const argv[], strbuf *out)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(fds[1], 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
		}
		close(fds[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	(void)strbuf_read_fd(out, fds[0]);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	strbuf_trim(out);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/* The highest /usr/lib/postgresql/N/bin holding initdb (Debian layout). */
static char *highest_debian_bindir(void)
{
	glob_t g;
	char *best = NULL;
	long best_v = -1;
	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g))
		return NULL;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *v = g.gl_pathv[i] + strlen("/usr/lib/postgresql/");
		long n = strtol(v, NULL, 10);
		if (n > best_v && access(g.gl_pathv[i], X_OK) == 0) {
			best_v = n;
			free(best);
			best = xstrndup(g.gl_pathv[i], strlen(g.gl_pathv[i]) -
							   strlen("/initdb"));
		}
	}
	globfree(&g);
	return best;
}

static char *path_bindir(void)
{
	const char *path = getenv("PATH");
	char *result = NULL;
	if (!path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !result;
	     dir = strtok_r(NULL, ":", &save))
		if (*dir && has_initdb(dir))
			result = xstrdup(dir);
	free(copy);
	return result;
}

int devserver_find_bindir(char **bindir, error *e)
{
	const char *env = getenv("SCHEMIG_PG_BINDIR");
	*bindir = NULL;
	if (env && *env) {
		if (!has_initdb(env))
			return error_set(e, EXIT_USAGE,
					 "SCHEMIG_PG_BINDIR is '%s', which "
					 "holds no initdb",
					 env);
		*bindir = xstrdup(env);
		return 0;
	}

	strbuf out = STRBUF_INIT;
	char *const pg_config[] = {"pg_config", "--bindir", NULL};
	if (!run_capture(pg_config, &out) && out.len && has_initdb(out.buf)) {
		*bindir = strbuf_detach(&out);
		return 0;
	}
	strbuf_release(&out);
	if ((*bindir = highest_debian_bindir()) || (*bindir = path_bindir()))
		return 0;
	return error_set(e, EXIT_USAGE,
			 "no PostgreSQL server binaries found (looked at "
			 "SCHEMIG_PG_BINDIR, pg_config --bindir, "
			 "/usr/lib/postgresql/*/bin and PATH for initdb)");
}

int devserver_available(error *e)
{
	char *bindir;
	error probe = ERROR_INIT;
	if (devserver_find_bindir(&bindir, &probe) < 0) {
		/* Only an explicit but wrong SCHEMIG_PG_BINDIR is an error;
		 * finding nothing means "parse instead". */
		const char *env = getenv("SCHEMIG_PG_BINDIR");
		if (env && *env) {
			error_set(e, probe.code, "%s", probe.msg);
			error_clear(&probe);
			return -1;
		}
		error_clear(&probe);
		return 0;
	}
	free(bindir);
	return 1;
}

/* `postgres --version` into *version (the caller frees; "" when it does
 * not run) and its major: "postgres (PostgreSQL) 15.4" -> 15, else 0.
 * Debian appends " (Debian 15.4-1)": the number after ") " counts. */
static int server_version(const char *bindir, char **version)
{
	strbuf exe = STRBUF_INIT, out = STRBUF_INIT;
	strbuf_addf(&exe, "%s/postgres", bindir);
	char *const argv[] = {exe.buf, "--version", NULL};
	int major = 0;
	if (!run_capture(argv, &out)) {
		const char *p = strstr(out.buf, ") ");
		if (p)
			major = atoi(p + 2);
	}
	strbuf_release(&exe);
	*version = out.buf ? strbuf_detach(&out) : xstrdup("");
	return major;
}

/* ---- async-signal-safe teardown ------------------------------------ */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Wait up to `ms` for `pid` to exit; true when it did (or is gone). */
static bool wait_exit(pid_t pid, long ms)
{
	for (long waited = 0;; waited += 20) {
		pid_t r = waitpid(pid, NULL, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		if (waited >= ms)
			return false;
		sleep_ms(20);
	}
}

void devserver_abort(devserver *d)
{
	if (!d)
		return;
	pid_t pid = d->child;
	if (pid > 0) {
		/* The postmaster: a fast shutdown (SIGINT) ends sessions and
		 * exits cleanly; SIGQUIT, then SIGKILL of the whole process
		 * group, if it hangs. initdb: just end it and its helpers. */
		kill(d->child_is_postmaster ? pid : -pid,
		     d->child_is_postmaster ? SIGINT : SIGTERM);
		if (!wait_exit(pid, 10000)) {
			kill(pid, SIGQUIT);
			if (!wait_exit(pid, 5000)) {
				kill(-pid, SIGKILL);
				wait_exit(pid, 5000);
			}
		}
		/* Whatever is left of its process group (initdb's bootstrap
		 * backend, a stray backend) must not outlive the directory. */
		kill(-pid, SIGKILL);
		d->child = 0;
	}
	if (d->dir_made) {
		sandbox_remove_tree(AT_FDCWD, d->dir);
		d->dir_made = 0;
	}
}

void devserver_stop(devserver *d)
{
	if (!d)
		return;
	devserver_abort(d);
	if (d->dirfd >= 0)
		close(d->dirfd);
	free(d->bindir);
	free(d->url);
	free(d);
}

/* ---- start ---------------------------------------------------------- */

typedef struct runas {
	bool drop;
	uid_t uid;
	gid_t gid;
	const char *user;
} runas;

/* initdb and postgres refuse to run as root: pick the user they run as. */
static int pick_user(runas *ru, error *e)
{
	memset(ru, 0, sizeof(*ru));
	if (geteuid() != 0)
		return 0;
	const char *user = getenv("SCHEMIG_DEV_USER");
	if (!user || !*user)
		user = "nobody";
	struct passwd *pw = getpwnam(user);
	if (!pw)
		return error_set(e, EXIT_USAGE,
				 "running as root, the throwaway server needs "
				 "an unprivileged user, and user '%s' does not "
				 "exist (set SCHEMIG_DEV_USER)",
				 user);
	if (!pw->pw_uid)
		return error_set(e, EXIT_USAGE,
				 "SCHEMIG_DEV_USER '%s' is root; the throwaway "
				 "server needs an unprivileged user",
				 user);
	ru->drop = true;
	ru->uid = pw->pw_uid;
	ru->gid = pw->pw_gid;
	ru->user = user;
	return 0;
}

/* What a spawned child runs once it is set up; its exit status. */
typedef int (*child_fn)(devserver *d, void *arg);

/*
 * fork and run `fn` with output going to a new file `log` in the
 * directory, in its own process group (a Ctrl-C reaches only schemig,
 * which then stops it in order), as the unprivileged user when needed,
 * and with a parent-death signal so that it does not outlive a schemig
 * that is killed outright.
 */
static pid_t spawn_fn(devserver *d, const runas *ru, const char *log,
		      int deathsig, child_fn fn, void *arg, error *e)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		error_set(e, EXIT_USAGE, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		int devnull = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (ru->drop && (setgroups(0, NULL) < 0 ||
				 setgid(ru->gid) < 0 || setuid(ru->uid) < 0)) {
			dprintf(2, "cannot switch to user %s: %s\n", ru->user,
				strerror(errno));
			_exit(126);
		}
		/* Created only now, as the user that runs the server: a
		 * file or symlink planted there beforehand is refused rather
		 * than opened (and, as root, handed over). */
		int fd = sandbox_create_file(d->dirfd, log);
		if (fd < 0) {
			dprintf(2, "git-schemig: cannot create %s/%s: %s\n",
				d->dir, log, strerror(errno));
			_exit(126);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		/* After setuid: changing credentials clears it. */
		prctl(PR_SET_PDEATHSIG, deathsig);
		if (getppid() != parent)
			_exit(1);
		if (fchdir(d->dirfd) < 0)
			_exit(126);
		_exit(fn(d, arg));
	}
	return pid;
}

struct exec_args {
	char *const *argv;
	char **env;
};

static int child_exec(devserver *d, void *arg)
{
	(void)d;
	struct exec_args *x = arg;
	execve(x->argv[0], x->argv, x->env);
	dprintf(2, "cannot run %s: %s\n", x->argv[0], strerror(errno));
	return 127;
}

/* spawn_fn that execs `argv` with the minimal environment. */
static pid_t spawn(devserver *d, const runas *ru, char *const argv[],
		   const char *log, int deathsig, error *e)
{
	struct exec_args x = {argv, sandbox_minimal_env()};
	pid_t pid = spawn_fn(d, ru, log, deathsig, child_exec, &x, e);
	free(x.env);
	return pid;
}

/* Wait for a child that is not the postmaster; true when it exited 0. */
static bool wait_child(devserver *d, pid_t pid)
{
	int status;
	d->child = pid;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	d->child = 0;
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

/* The end of a log in the directory, for error messages. Read without
 * following a symlink: the directory belongs to the server's user. */
static void add_log_tail(strbuf *msg, int dirfd, const char *log)
{
	strbuf text = STRBUF_INIT;
	int fd = openat(dirfd, log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		(void)strbuf_read_fd(&text, fd);
		close(fd);
	}
	if (text.len) {
		strbuf_trim(&text);
		const char *p = text.buf + text.len;
		int lines = 0;
		while (p > text.buf && lines < 6)
			if (*--p == '\n')
				lines++;
		strbuf_addf(msg, ":\n%s", p == text.buf ? p : p + 1);
	}
	strbuf_release(&text);
}

static int fail_with_log(devserver *d, const char *log, const char *what,
			 error *e)
{
	strbuf msg = STRBUF_INIT;
	strbuf_adds(&msg, what);
	add_log_tail(&msg, d->dirfd, log);
	error_set(e, EXIT_DB, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

static void url_add_encoded(strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

static int make_dir(devserver *d, const runas *ru, error *e)
{
	const char *base = sandbox_tmp_base();
	snprintf(d->dir, sizeof(d->dir), "%s/schemig-dev-XXXXXX", base);
	if (!mkdtemp(d->dir))
		return error_set(e, EXIT_USAGE,
				 "cannot create a temporary directory in %s: "
				 "%s",
				 base, strerror(errno));
	d->dir_made = 1;
	d->dirfd =
	    open(d->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->dirfd < 0)
		return error_set(e, EXIT_USAGE, "cannot open '%s': %s", d->dir,
				 strerror(errno));
	if (ru->drop && fchown(d->dirfd, ru->uid, ru->gid) < 0)
		return error_set(e, EXIT_USAGE,
				 "cannot hand '%s' to user %s: %s", d->dir,
				 ru->user, strerror(errno));
	return 0;
}

static int run_initdb(devserver *d, const runas *ru, error *e)
{
	strbuf exe = STRBUF_INIT, data = STRBUF_INIT;
	strbuf_addf(&exe, "%s/initdb", d->bindir);
	strbuf_addf(&data, "%s/" DATA_DIR, d->dir);
	char *argv[16] = {exe.buf, "-D", data.buf};
	size_t n = 3;
	for (const char *const *a = devserver_initdb_args; *a; a++)
		argv[n++] = (char *)*a;
	int ret = 0;
	d->child_is_postmaster = 0;
	pid_t pid = spawn(d, ru, argv, INITDB_LOG, SIGKILL, e);
	if (pid < 0)
		ret = -1;
	else if (!wait_child(d, pid))
		ret = fail_with_log(d, INITDB_LOG, "initdb failed", e);
	strbuf_release(&exe);
	strbuf_release(&data);
	return ret;
}

struct template_job {
	const devtemplate *t;
	bool publish, broken;
};

/* In the child, as the server's user; its stdout is the log. */
static int child_template(devserver *d, void *arg)
{
	struct template_job *j = arg;
	/* A FILE of its own: stdout may hold the parent's unflushed
	 * output, which must not land in the log. */
	FILE *log = fdopen(1, "w");
	if (!log)
		return 1;
	int r = j->publish ? devtemplate_publish(j->t, d->dirfd, j->broken, log)
			   : devtemplate_fill(j->t, d->dirfd, log);
	fclose(log);
	return r < 0;
}

/* Run a template step as the server's user; 0 when it succeeded. A
 * failure is no error: the caller falls back to initdb. */
static int run_template(devserver *d, const runas *ru, struct template_job *j,
			const char *log)
{
	error ignored = ERROR_INIT;
	d->child_is_postmaster = 0;
	pid_t pid = spawn_fn(d, ru, log, SIGKILL, child_template, j, &ignored);
	error_clear(&ignored);
	return pid > 0 && wait_child(d, pid) ? 0 : -1;
}

/*
 * The data directory: a copy of the cached template, else initdb, whose
 * result then becomes the template (before the server first writes to
 * it). 1 when it is a copy, 0 when initdb made it, -1 on failure.
 * `broken`: the template's copy did not start; skip and replace it.
 */
static int make_data(devserver *d, const runas *ru, const devtemplate *t,
		     bool broken, error *e)
{
	struct template_job fill = {t, false, false};
	struct template_job publish = {t, true, broken};
	if (!broken && !run_template(d, ru, &fill, TEMPLATE_LOG))
		return 1;
	if (run_initdb(d, ru, e) < 0)
		return -1;
	if (t->cachefd >= 0)
		run_template(d, ru, &publish, PUBLISH_LOG);
	return 0;
}

static int run_postgres(devserver *d, const runas *ru, error *e)
{
	strbuf exe = STRBUF_INIT, data = STRBUF_INIT, port = STRBUF_INIT;
	strbuf_addf(&exe, "%s/postgres", d->bindir);
	strbuf_addf(&data, "%s/" DATA_DIR, d->dir);
	strbuf_addf(&port, "%d", DEV_PORT);
	/* Unix socket only, no durability (the data is thrown away), and
	 * little to set up or run in the background: a fast start. */
	char *const argv[] = {exe.buf, "-D", data.buf, "-k", d->dir, "-p",
			      port.buf, "-c", "listen_addresses=", "-c",
			      "fsync=off", "-c", "full_page_writes=off", "-c",
			      "synchronous_commit=off", "-c", "autovacuum=off",
			      "-c", "shared_buffers=32MB",
			      /* A whole schema is loaded in one transaction:
			       * room for thousands of relations' locks, paid
			       * for with fewer connection slots. */
			      "-c", "max_connections=20", "-c",
			      "max_locks_per_transaction=4096", NULL};
	d->child_is_postmaster = 1;
	pid_t pid = spawn(d, ru, argv, SERVER_LOG, SIGQUIT, e);
	if (pid > 0)
		d->child = pid;
	strbuf_release(&exe);
	strbuf_release(&data);
	strbuf_release(&port);
	return pid > 0 ? 0 : -1;
}

/* Poll until the server accepts connections, it dies, or time is up. */
static int wait_ready(devserver *d, error *e)
{
	const char *t = getenv("SCHEMIG_DEV_TIMEOUT");
	long timeout_ms = (t && atol(t) > 0 ? atol(t) : 60) * 1000;
	/* A copied template is up in a few hundred milliseconds: poll
	 * often, a refused connection to a missing socket costs nothing. */
	for (long waited = 0;; waited += 10) {
		if (PQping(d->url) == PQPING_OK)
			return 0;
		if (waitpid(d->child, NULL, WNOHANG) == d->child) {
			d->child = 0;
			return fail_with_log(d, SERVER_LOG,
					     "the throwaway PostgreSQL "
					     "exited while starting",
					     e);
		}
		if (waited >= timeout_ms) {
			strbuf msg = STRBUF_INIT;
			strbuf_addf(&msg,
				    "the throwaway PostgreSQL did not accept "
				    "connections within %ld s",
				    timeout_ms / 1000);
			fail_with_log(d, SERVER_LOG, msg.buf, e);
			strbuf_release(&msg);
			return -1;
		}
		sleep_ms(10);
	}
}

static int start_server(devserver *d, const runas *ru, error *e)
{
	return run_postgres(d, ru, e) < 0 || wait_ready(d, e) < 0 ? -1 : 0;
}

/*
 * The data directory and the running server. A copy of the template that
 * does not start (damaged on disk, say) is no error: start over from
 * initdb, and let that replace the template.
 */
static int make_and_start(devserver *d, const runas *ru, const char *version,
			  error *e)
{
	devtemplate t;
	devtemplate_open(&t, d->bindir, d->major, version,
			 ru->drop ? ru->uid : geteuid(),
			 ru->drop ? ru->gid : getegid());
	int made = make_data(d, ru, &t, false, e);
	int ret = made < 0 ? -1 : start_server(d, ru, e);
	if (ret < 0 && made == 1 && !d->child) {
		error_clear(e);
		sandbox_remove_tree(d->dirfd, DATA_DIR);
		renameat(d->dirfd, SERVER_LOG, d->dirfd, SERVER_LOG_TEMPLATE);
		ret = make_data(d, ru, &t, true, e) < 0
			  ? -1
			  : start_server(d, ru, e);
	}
	devtemplate_close(&t);
	return ret;
}

int devserver_start(devserver **out, error *e)
{
	runas ru;
	char *bindir;

	*out = NULL;
	if (devserver_find_bindir(&bindir, e) < 0 || pick_user(&ru, e) < 0) {
		free(bindir);
		return -1;
	}
	devserver *d = xcalloc(1, sizeof(*d));
	char *version;
	d->dirfd = -1;
	d->bindir = bindir;
	d->major = server_version(bindir, &version);
	/* Published before anything exists on disk, so that a signal
	 * handler that reaches *out can clean up a half-started server. */
	*out = d;

	if (isatty(2) && d->major)
		fprintf(stderr, "starting throwaway PostgreSQL %d...\n",
			d->major);
	else if (isatty(2))
		fputs("starting throwaway PostgreSQL...\n", stderr);
	if (make_dir(d, &ru, e) < 0)
		goto fail;

	strbuf url = STRBUF_INIT;
	strbuf_adds(&url, "postgresql://postgres@/postgres?host=");
	url_add_encoded(&url, d->dir);
	strbuf_addf(&url, "&port=%d", DEV_PORT);
	d->url = strbuf_detach(&url);

	if (make_and_start(d, &ru, version, e) < 0)
		goto fail;
	free(version);
	return 0;
fail:
	free(version);
	/* Tear down while *out still reaches it, then unpublish. */
	devserver_abort(d);
	*out = NULL;
	devserver_stop(d);
	return -1;
}
