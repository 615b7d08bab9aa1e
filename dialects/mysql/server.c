/*
 * A throwaway MariaDB server: the `dev` source and the scratch server
 * DDL files are loaded on when no --dev-url is configured (the dialect
 * table's server_* members).
 *
 * mariadb-install-db makes a data directory in a fresh temporary
 * directory; mariadbd serves it on a unix socket inside that directory
 * only (--skip-networking), with small buffers and no durability, and is
 * killed and removed with its directory when stopped. schemig logs in
 * over the socket as the account of its own unix user, which
 * mariadb-install-db makes with unix_socket authentication: no password
 * exists anywhere. Under root the server runs as root (--user=root), as
 * mariadbd allows when told so. The programs get only PATH, LANG, LC_*
 * and TZ from schemig's environment.
 *
 * MySQL's own server (Oracle's mysqld, which makes a data directory with
 * --initialize-insecure instead) is recognised and refused by name.
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../util/strbuf.h"
#include "../../util/sandbox.h"
#include "../../util/xalloc.h"
#include "conn.h"

#define INSTALL_LOG "install.log"
#define SERVER_LOG  "mysqld.err"
#define SOCKET_NAME "mysqld.sock"
#define DATA_DIR    "data"

struct dialect_server {
	char dir[PATH_MAX];
	int dirfd;
	/* Read by the signal handler: set only once the thing exists. */
	volatile sig_atomic_t dir_made;
	volatile pid_t child; /* mariadb-install-db or mariadbd; 0: none */
	char *server_bin, *install_bin;
	char *url;
	char *version; /* VERSION(): "10.11.6-MariaDB-0+deb12u1" */
	double start_s;
};

const char *mysrv_url(const dialect_server *s)
{
	return s->url;
}

const char *mysrv_dir(const dialect_server *s)
{
	return s->dir;
}

char *mysrv_describe(const dialect_server *s)
{
	strbuf sb = STRBUF_INIT;
	const char *v = s->version ? s->version : "";
	/* "10.11.6-MariaDB-0+deb12u1" -> "MariaDB 10.11.6". */
	size_t n = strcspn(v, "-");
	strbuf_addf(&sb, "%s %.*s", strstr(v, "MariaDB") ? "MariaDB" : "MySQL",
		    (int)n, v);
	strbuf_trim(&sb);
	return strbuf_detach(&sb);
}

double mysrv_start_seconds(const dialect_server *s)
{
	return s->start_s;
}

/* ---- finding the programs ------------------------------------------- */

static char *find_program(const char *name)
{
	static const char *const extra[] = {"/usr/sbin", "/usr/bin",
					    "/usr/local/sbin", NULL};
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : ""), *save = NULL, *found = NULL;
	strbuf p = STRBUF_INIT;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, name);
		if (*dir == '/' && access(p.buf, X_OK) == 0)
			found = xstrdup(p.buf);
	}
	/* mariadbd lives in sbin, which a user's PATH often lacks. */
	for (int i = 0; extra[i] && !found; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", extra[i], name);
		if (access(p.buf, X_OK) == 0)
			found = xstrdup(p.buf);
	}
	strbuf_release(&p);
	free(copy);
	return found;
}

/* Run `argv` and collect its stdout; -1 when it cannot run or fails. */
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
		execv(argv[0], argv);
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

/*
 * The server and the program that makes its data directory. MySQL's own
 * mysqld (no mariadbd beside it, a --version without "MariaDB") is named
 * in the error rather than started the wrong way.
 */
static int find_programs(char **server, char **install, error *e)
{
	*server = find_program("mariadbd");
	*install = find_program("mariadb-install-db");
	if (*server && *install)
		return 0;
	free(*server);
	free(*install);
	*server = *install = NULL;
	char *mysqld = find_program("mysqld");
	if (mysqld) {
		strbuf out = STRBUF_INIT;
		char *const argv[] = {mysqld, "--version", NULL};
		bool oracle =
		    !run_capture(argv, &out) && !strstr(out.buf, "MariaDB");
		strbuf_release(&out);
		free(mysqld);
		if (oracle)
			return error_set(
			    e, EXIT_USAGE,
			    "MySQL's own server (mysqld, made with "
			    "--initialize-insecure) is not started "
			    "as a throwaway server; install "
			    "MariaDB (mariadbd and "
			    "mariadb-install-db) or pass "
			    "--dev-url mysql://...");
	}
	return error_set(e, EXIT_USAGE,
			 "no MariaDB server found (mariadbd and "
			 "mariadb-install-db on PATH or in /usr/sbin)");
}

int mysrv_available(error *e)
{
	char *server, *install;
	error probe = ERROR_INIT;
	int r = find_programs(&server, &install, &probe) < 0 ? 0 : 1;
	error_clear(&probe);
	free(server);
	free(install);
	(void)e;
	return r;
}

/* ---- async-signal-safe teardown ------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void mysrv_abort(dialect_server *s)
{
	if (!s)
		return;
	pid_t pid = s->child;
	if (pid > 0) {
		/* The data is thrown away: no clean shutdown to wait for.
		 * The whole process group goes (install-db's helpers). */
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		for (int i = 0; i < 250; i++) {
			pid_t r = waitpid(pid, NULL, WNOHANG);
			if (r == pid || (r < 0 && errno == ECHILD))
				break;
			sleep_ms(20);
		}
		s->child = 0;
	}
	if (s->dir_made) {
		sandbox_remove_tree(AT_FDCWD, s->dir);
		s->dir_made = 0;
	}
}

void mysrv_stop(dialect_server *s)
{
	if (!s)
		return;
	mysrv_abort(s);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->server_bin);
	free(s->install_bin);
	free(s->url);
	free(s->version);
	free(s);
}

/* ---- start ---------------------------------------------------------- */

/*
 * fork and exec `argv` with the minimal environment, output into a new
 * file `log` of the directory, in a process group of its own (a Ctrl-C
 * reaches schemig only, which then stops it), killed should schemig die
 * outright.
 */
static pid_t spawn(dialect_server *s, char *const argv[], const char *log,
		   error *e)
{
	char **env = sandbox_minimal_env();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		free(env);
		error_set(e, EXIT_USAGE, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		int devnull = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		int fd = sandbox_create_file(s->dirfd, log);
		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (fchdir(s->dirfd) < 0)
			_exit(126);
		execve(argv[0], argv, env);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	free(env);
	return pid;
}

/* The end of a log of the directory, for messages. */
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
		while (p > text.buf && lines < 8)
			if (*--p == '\n')
				lines++;
		strbuf_addf(msg, ":\n%s", p == text.buf ? p : p + 1);
	}
	strbuf_release(&text);
}

static int fail_with_log(dialect_server *s, const char *log, const char *what,
			 error *e)
{
	strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, "%s (its log, %s/%s, is removed with it)", what,
		    s->dir, log);
	add_log_tail(&msg, s->dirfd, log);
	error_set(e, EXIT_DB, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

static int make_dir(dialect_server *s, error *e)
{
	const char *base = sandbox_tmp_base();
	snprintf(s->dir, sizeof(s->dir), "%s/schemig-my-XXXXXX", base);
	if (!mkdtemp(s->dir))
		return error_set(e, EXIT_USAGE,
				 "cannot create a temporary directory in %s: "
				 "%s",
				 base, strerror(errno));
	s->dir_made = 1;
	s->dirfd =
	    open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dirfd < 0)
		return error_set(e, EXIT_USAGE, "cannot open '%s': %s", s->dir,
				 strerror(errno));
	return 0;
}

/* Our unix user's name: the server account unix_socket lets us in as. */
static char *my_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return xstrdup(pw && pw->pw_name ? pw->pw_name : "root");
}

/*
 * How the data is kept, for mariadb-install-db's bootstrap and the
 * server alike (the redo log is made at its size once): small, no
 * binary log, no durability. A data directory of ~25 MB, not ~110.
 */
static const char *const storage_opts[] = {"--skip-log-bin",
					   "--performance-schema=OFF",
					   "--innodb-buffer-pool-size=32M",
					   "--innodb-log-file-size=8M",
					   "--innodb-flush-log-at-trx-commit=0",
					   "--innodb-doublewrite=0",
					   "--innodb-flush-method=nosync",
					   NULL};

static int run_install(dialect_server *s, const char *user, error *e)
{
	strbuf datadir = STRBUF_INIT, sockuser = STRBUF_INIT;
	strbuf_addf(&datadir, "--datadir=%s/" DATA_DIR, s->dir);
	strbuf_addf(&sockuser, "--auth-root-socket-user=%s", user);
	char *argv[24] = {
	    s->install_bin,	  "--no-defaults",
	    datadir.buf,	  "--auth-root-authentication-method=socket",
	    sockuser.buf,	  "--skip-test-db",
	    "--skip-name-resolve"};
	int n = 7;
	for (int i = 0; storage_opts[i]; i++)
		argv[n++] = (char *)storage_opts[i];
	if (geteuid() == 0)
		argv[n++] = "--user=root";
	argv[n] = NULL;
	int ret = 0;
	pid_t pid = spawn(s, argv, INSTALL_LOG, e);
	if (pid < 0) {
		ret = -1;
	} else {
		int status;
		s->child = pid;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		s->child = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ret = fail_with_log(s, INSTALL_LOG,
					    "mariadb-install-db failed", e);
	}
	strbuf_release(&datadir);
	strbuf_release(&sockuser);
	return ret;
}

static int run_server(dialect_server *s, error *e)
{
	/* The options tests/mariadb.sh uses: --no-defaults (the machine's
	 * option files must not leak in), the socket only, and
	 * storage_opts. */
	static const char *const fixed[] = {
	    "--skip-networking",
	    "--innodb-log-buffer-size=1M",
	    "--skip-name-resolve",
	    "--character-set-server=utf8mb4",
	    "--collation-server=utf8mb4_general_ci",
	    "--max-connections=50",
	    NULL};
	strbuf datadir = STRBUF_INIT, sock = STRBUF_INIT, pidf = STRBUF_INIT,
	       err = STRBUF_INIT, tmp = STRBUF_INIT;
	strbuf_addf(&datadir, "--datadir=%s/" DATA_DIR, s->dir);
	strbuf_addf(&sock, "--socket=%s/" SOCKET_NAME, s->dir);
	strbuf_addf(&pidf, "--pid-file=%s/mysqld.pid", s->dir);
	strbuf_addf(&err, "--log-error=%s/" SERVER_LOG, s->dir);
	strbuf_addf(&tmp, "--tmpdir=%s", s->dir);
	char *argv[32] = {s->server_bin, "--no-defaults", datadir.buf, sock.buf,
			  pidf.buf,	 err.buf,	  tmp.buf};
	int n = 7;
	for (int i = 0; fixed[i]; i++)
		argv[n++] = (char *)fixed[i];
	for (int i = 0; storage_opts[i]; i++)
		argv[n++] = (char *)storage_opts[i];
	if (geteuid() == 0)
		argv[n++] = "--user=root";
	argv[n] = NULL;
	/* --log-error writes the server's own log; what it prints before
	 * opening it goes to a second file. */
	pid_t pid = spawn(s, argv, "mysqld.out", e);
	if (pid > 0)
		s->child = pid;
	strbuf_release(&datadir);
	strbuf_release(&sock);
	strbuf_release(&pidf);
	strbuf_release(&err);
	strbuf_release(&tmp);
	return pid > 0 ? 0 : -1;
}

/* Poll until the server answers (reading its VERSION()), it dies, or
 * time is up. */
static int wait_ready(dialect_server *s, error *e)
{
	const char *t = getenv("SCHEMIG_DEV_TIMEOUT");
	long timeout_ms = (t && atol(t) > 0 ? atol(t) : 60) * 1000;
	for (long waited = 0;; waited += 20) {
		struct stat st;
		if (fstatat(s->dirfd, SOCKET_NAME, &st, AT_SYMLINK_NOFOLLOW) ==
			0 &&
		    S_ISSOCK(st.st_mode)) {
			MYSQL *c;
			error ce = ERROR_INIT;
			if (my_connect(s->url, &c, &ce) == 0) {
				my_rows r;
				if (my_query(c, "SELECT VERSION()", &r,
					     "version", &ce) == 0) {
					const char *v = my_rows_val(&r, 0, 0);
					s->version = xstrdup(v ? v : "");
					my_rows_release(&r);
				}
				error_clear(&ce);
				mysql_close(c);
				return 0;
			}
			error_clear(&ce);
		}
		if (waitpid(s->child, NULL, WNOHANG) == s->child) {
			s->child = 0;
			return fail_with_log(s, SERVER_LOG,
					     "the throwaway MariaDB exited "
					     "while starting",
					     e);
		}
		if (waited >= timeout_ms) {
			strbuf msg = STRBUF_INIT;
			strbuf_addf(&msg,
				    "the throwaway MariaDB did not accept "
				    "connections within %ld s",
				    timeout_ms / 1000);
			fail_with_log(s, SERVER_LOG, msg.buf, e);
			strbuf_release(&msg);
			return -1;
		}
		sleep_ms(20);
	}
}

static void url_add_encoded(strbuf *sb, const char *str)
{
	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int mysrv_start(dialect_server **out, error *e)
{
	char *server, *install;
	*out = NULL;
	if (find_programs(&server, &install, e) < 0)
		return -1;
	double t0 = now_s();
	dialect_server *s = xcalloc(1, sizeof(*s));
	s->dirfd = -1;
	s->server_bin = server;
	s->install_bin = install;
	/* Published before anything exists on disk, so that a signal
	 * handler reaching *out can remove a half-started server. */
	*out = s;
	if (isatty(2))
		fputs("starting throwaway MariaDB...\n", stderr);
	if (make_dir(s, e) < 0)
		goto fail;
	char *user = my_user();
	strbuf url = STRBUF_INIT;
	strbuf_adds(&url, "mysql://");
	url_add_encoded(&url, user);
	strbuf_adds(&url, "@localhost/?socket=");
	url_add_encoded(&url, s->dir);
	strbuf_adds(&url, "/" SOCKET_NAME);
	s->url = strbuf_detach(&url);
	int r = run_install(s, user, e);
	free(user);
	if (r < 0 || run_server(s, e) < 0 || wait_ready(s, e) < 0)
		goto fail;
	s->start_s = now_s() - t0;
	if (getenv("SCHEMIG_DEV_TIMING"))
		fprintf(stderr, "throwaway MariaDB started in %.2f s\n",
			s->start_s);
	return 0;
fail:
	/* Torn down while *out still reaches it, then unpublished. */
	mysrv_abort(s);
	*out = NULL;
	mysrv_stop(s);
	return -1;
}
