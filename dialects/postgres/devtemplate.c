#include "devtemplate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../util/strbuf.h"
#include "../../util/sandbox.h"
#include "../../util/xalloc.h"
#include "server.h"

#define KEY_FILE   "key"
#define DATA_DIR   "data"
#define TMP_PREFIX ".tmp-"
/* A temporary sibling this old was left by a run that was killed while
 * publishing (a publish takes seconds). */
#define STALE_SECONDS 3600

/* The configuration files a copy gets fresh, and the files of a running
 * server, which a template never has but must never pass on either. */
static const char *const not_copied[] = {
    "postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "pg_ident.conf",
    "postmaster.pid",  "postmaster.opts",      NULL};

/* The settings initdb writes into postgresql.conf: the only ones a copy
 * takes over from the template. None of them loads code or runs a
 * program, whatever its value. */
static const char *const initdb_settings[] = {"max_connections",
					      "shared_buffers",
					      "dynamic_shared_memory_type",
					      "max_wal_size",
					      "min_wal_size",
					      "log_timezone",
					      "datestyle",
					      "timezone",
					      "lc_messages",
					      "lc_monetary",
					      "lc_numeric",
					      "lc_time",
					      "default_text_search_config",
					      NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* ---- parent side ------------------------------------------------- */

/*
 * Everything an initdb result depends on: the server (its version line
 * and the binary itself, so that a rebuild of the same version counts),
 * initdb's options, and the time zone initdb detects and writes.
 */
static char *make_key(const char *bindir, const char *version)
{
	strbuf k = STRBUF_INIT, exe = STRBUF_INIT;
	struct stat st;
	strbuf_addf(&exe, "%s/postgres", bindir);
	strbuf_addf(&k, "schemig pg-template 1\nversion: %s\n", version);
	if (!stat(exe.buf, &st))
		strbuf_addf(&k, "postgres: %s %llu:%llu:%lld:%lld\n", exe.buf,
			    (unsigned long long)st.st_dev,
			    (unsigned long long)st.st_ino,
			    (long long)st.st_size, (long long)st.st_mtime);
	strbuf_adds(&k, "initdb:");
	for (const char *const *a = devserver_initdb_args; *a; a++)
		strbuf_addf(&k, " %s", *a);
	const char *tz = getenv("TZ");
	char lt[PATH_MAX];
	ssize_t n = readlink("/etc/localtime", lt, sizeof(lt) - 1);
	lt[n > 0 ? n : 0] = '\0';
	strbuf_addf(&k, "\nTZ: %s\nlocaltime: %s\n", tz ? tz : "(unset)", lt);
	strbuf_release(&exe);
	return strbuf_detach(&k);
}

/* "<major>-<first 16 hex digits of the key's SHA-256>" */
static char *make_name(int major, const char *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	strbuf n = STRBUF_INIT;
	strbuf_addf(&n, "%d-", major);
	if (!EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL))
		mdlen = 0;
	for (unsigned i = 0; i < mdlen && i < 8; i++)
		strbuf_addf(&n, "%02x", md[i]);
	return strbuf_detach(&n);
}

static char *cache_path(uid_t owner)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	strbuf p = STRBUF_INIT;
	/* The XDG spec ignores a relative XDG_CACHE_HOME. */
	if (xdg && xdg[0] == '/') {
		strbuf_addf(&p, "%s/schemig/pg-template", xdg);
	} else if (geteuid()) {
		const char *home = getenv("HOME");
		struct passwd *pw;
		if ((!home || home[0] != '/') && (pw = getpwuid(geteuid())))
			home = pw->pw_dir;
		if (!home || home[0] != '/')
			return NULL;
		strbuf_addf(&p, "%s/.cache/schemig/pg-template", home);
	} else {
		/* Root's own cache is closed to the server's user: use the
		 * directory the servers themselves live in. */
		strbuf_addf(&p, "%s/schemig-pg-template-%u", sandbox_tmp_base(),
			    (unsigned)owner);
	}
	return strbuf_detach(&p);
}

/*
 * mkdir -p. The ancestors are 0700 for a user's own cache and 0755 under
 * root (the server's user must pass through them); the cache directory
 * is 0700 and, under root, handed to the server's user right away.
 */
static void make_dirs(const char *path, uid_t owner, gid_t group)
{
	char *p = xstrdup(path);
	bool root = !geteuid();
	for (char *s = p;;) {
		s = strchr(s + 1, '/');
		if (s)
			*s = '\0';
		if (!mkdir(p, s && root ? 0755 : 0700)) {
			int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
			/* Explicitly: the umask may have taken o+x away. */
			if (fd >= 0 && s && root)
				(void)!fchmod(fd, 0755);
			if (fd >= 0 && !s && root)
				(void)!fchown(fd, owner, group);
			if (fd >= 0)
				close(fd);
		}
		if (!s)
			break;
		*s = '/';
	}
	free(p);
}

/*
 * Open the directory at `path` one component at a time, never through a
 * symlink, checking each: an ancestor must belong to root, to us or to
 * `owner` and be writable by no one else unless sticky (else someone
 * else could swap what lies below it); the directory itself must be
 * owner's and 0700.
 */
static int open_checked(devtemplate *t, const char *path, uid_t owner)
{
	char *real = realpath(path, NULL);
	if (!real) {
		error_set(&t->why, EXIT_USAGE, "cannot resolve %s: %s", path,
			  strerror(errno));
		return -1;
	}
	strbuf at = STRBUF_INIT;
	strbuf_adds(&at, "/");
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *save = NULL, *comp = strtok_r(real, "/", &save);
	struct stat st;
	while (fd >= 0) {
		if (fstat(fd, &st) < 0) {
			error_set(&t->why, EXIT_USAGE, "cannot stat %s: %s",
				  at.buf, strerror(errno));
		} else if (!comp) {
			if (st.st_uid == owner && (st.st_mode & 0777) == 0700)
				break;
			error_set(&t->why, EXIT_USAGE,
				  "%s is not the server user's with mode "
				  "0700 (uid %u, mode %o)",
				  at.buf, (unsigned)st.st_uid,
				  (unsigned)st.st_mode & 07777);
		} else if (st.st_uid && st.st_uid != geteuid() &&
			   st.st_uid != owner) {
			error_set(&t->why, EXIT_USAGE,
				  "%s belongs to another user (uid %u)", at.buf,
				  (unsigned)st.st_uid);
		} else if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) {
			error_set(&t->why, EXIT_USAGE,
				  "%s is writable by others", at.buf);
		} else {
			int next = openat(fd, comp,
					  O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					      O_CLOEXEC);
			if (next < 0)
				error_set(&t->why, EXIT_USAGE,
					  "cannot open %s: %s", path,
					  strerror(errno));
			close(fd);
			fd = next;
			if (at.len > 1)
				strbuf_addch(&at, '/');
			strbuf_adds(&at, comp);
			comp = strtok_r(NULL, "/", &save);
			continue;
		}
		close(fd);
		fd = -1;
	}
	strbuf_release(&at);
	free(real);
	return fd;
}

void devtemplate_open(devtemplate *t, const char *bindir, int major,
		      const char *version, uid_t owner, gid_t group)
{
	memset(t, 0, sizeof(*t));
	t->cachefd = -1;
	const char *off = getenv("SCHEMIG_NO_TEMPLATE_CACHE");
	if (off && *off && strcmp(off, "0")) {
		error_set(&t->why, EXIT_USAGE,
			  "SCHEMIG_NO_TEMPLATE_CACHE is set");
		return;
	}
	if (!(t->path = cache_path(owner))) {
		error_set(&t->why, EXIT_USAGE,
			  "no cache directory (neither XDG_CACHE_HOME nor "
			  "HOME is set)");
		return;
	}
	t->key = make_key(bindir, version);
	t->name = make_name(major, t->key);
	make_dirs(t->path, owner, group);
	t->cachefd = open_checked(t, t->path, owner);
}

void devtemplate_close(devtemplate *t)
{
	if (t->cachefd >= 0)
		close(t->cachefd);
	t->cachefd = -1;
	free(t->path);
	error_clear(&t->why);
	free(t->name);
	free(t->key);
}

/* ---- child side: the server's user -------------------------------- */

#define AUTO_CONF                                                              \
	"# Do not edit this file manually!\n"                                  \
	"# It will be overwritten by the ALTER SYSTEM command.\n"
#define HBA_CONF                                                               \
	"# Written by git schemig: unix socket only (in a directory of "       \
	"the\n# server user's own), no passwords.\n"                           \
	"local all all trust\nlocal replication all trust\n"
#define IDENT_CONF "# MAPNAME SYSTEM-USERNAME PG-USERNAME\n"

static const char zeros[65536];

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* A new file (never an existing one, never through a symlink). */
static int write_file_at(int dirfd, const char *name, const char *text,
			 bool sync)
{
	int fd = sandbox_create_file(dirfd, name);
	if (fd < 0)
		return -1;
	int ret = write_all(fd, text, strlen(text));
	if (!ret && sync)
		ret = fsync(fd);
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

/*
 * Copy the bytes [pos, end) of `in` to the same place in `out`, leaving a
 * block of zeros out (a hole, which reads back as the same zeros).
 */
static int copy_range(int in, int out, off_t pos, off_t end)
{
	char buf[sizeof(zeros)];
	while (pos < end) {
		size_t want = (size_t)(end - pos) < sizeof(buf)
				  ? (size_t)(end - pos)
				  : sizeof(buf);
		ssize_t n = pread(in, buf, want, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (memcmp(buf, zeros, (size_t)n) &&
		    (lseek(out, pos, SEEK_SET) < 0 ||
		     write_all(out, buf, (size_t)n) < 0))
			return -1;
		pos += n;
	}
	return 0;
}

/*
 * Copy one regular file, sparse: only its data extents are read (the
 * template's holes are skipped without reading), and blocks of zeros are
 * not written. Most of a fresh WAL segment is zeros; not reading or
 * writing them is a good part of a warm start.
 */
static int copy_file(int from, int to, const char *name, mode_t mode)
{
	int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out =
	    openat(to, name,
		   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	struct stat st;
	int ret = out < 0 || fstat(in, &st) < 0 ? -1 : 0;
	for (off_t pos = 0; !ret && pos < st.st_size;) {
		off_t data = lseek(in, pos, SEEK_DATA);
		/* ENXIO: only a hole is left. A file system without
		 * SEEK_DATA has one extent: the whole file. */
		if (data < 0 && errno == ENXIO)
			break;
		off_t hole = data < 0 ? st.st_size : lseek(in, data, SEEK_HOLE);
		if (data < 0)
			data = pos;
		ret = hole < 0 ? -1 : copy_range(in, out, data, hole);
		pos = hole;
	}
	/* The size, for a file that ends in a hole. */
	if (!ret && ftruncate(out, st.st_size) < 0)
		ret = -1;
	close(in);
	if (out >= 0)
		close(out);
	return ret;
}

static int copy_dir(int from, int to, const char *const *skip, strbuf *why);

static int copy_subdir(int from, int to, const char *name, mode_t mode,
		       strbuf *why)
{
	if (mkdirat(to, name, mode) < 0)
		return -1;
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int a = openat(from, name, flags), b = openat(to, name, flags);
	int ret = a >= 0 && b >= 0 ? copy_dir(a, b, NULL, why) : -1;
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	return ret;
}

/*
 * Copy the contents of directory `from` into directory `to`: only
 * directories and regular files, and only our own; anything else (a
 * symlink, a file of another user) fails the copy. `skip` names entries
 * of `from` itself to leave out.
 */
static int copy_dir(int from, int to, const char *const *skip, strbuf *why)
{
	int fd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		strbuf_addf(why, "cannot read a directory: %s",
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	int ret = 0;
	while (!ret && (de = readdir(dir))) {
		const char *n = de->d_name;
		struct stat st;
		if (!strcmp(n, ".") || !strcmp(n, "..") ||
		    (skip && in_list(skip, n)))
			continue;
		if (fstatat(from, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			ret = -1;
		else if (st.st_uid != geteuid() ||
			 (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
			strbuf_addf(why,
				    "%s is not a file or directory of "
				    "the server user's",
				    n);
			ret = -1;
		} else if (S_ISDIR(st.st_mode))
			ret = copy_subdir(from, to, n,
					  (st.st_mode & 0750) | 0700, why);
		else
			ret =
			    copy_file(from, to, n, (st.st_mode & 0640) | 0600);
		if (ret && !why->len)
			strbuf_addf(why, "cannot copy %s: %s", n,
				    strerror(errno));
	}
	closedir(dir);
	return ret;
}

/*
 * The template's postgresql.conf reduced to the settings initdb writes,
 * each `name = value` with a value of plain characters (quotes
 * balanced); everything else, comments included, is dropped.
 */
static void filter_conf(const char *text, strbuf *out)
{
	static const char value_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "abcdefghijklmnopqrstuvwxyz"
					  "0123456789 \t_./,:+-'";
	strbuf_adds(out, "# Written by git schemig for a throwaway server: "
			 "the settings\n# initdb chose for its template, "
			 "nothing else.\n");
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		size_t nlen = strspn(line, "abcdefghijklmnopqrstuvwxyz_");
		const char *v = line + nlen + strspn(line + nlen, " \t");
		if (nlen && *v == '=') {
			v += 1 + strspn(v + 1, " \t");
			size_t vlen = strspn(v, value_chars);
			const char *after = v + vlen;
			size_t quotes = 0;
			while (vlen &&
			       (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			for (size_t i = 0; i < vlen; i++)
				quotes += v[i] == '\'';
			char *name = xstrndup(line, nlen);
			if (vlen && !(quotes % 2) &&
			    (after == end || *after == '#') &&
			    in_list(initdb_settings, name))
				strbuf_addf(out, "%s = %.*s\n", name, (int)vlen,
					    v);
			free(name);
		}
		line = *end ? end + 1 : end;
	}
}

/* The configuration files of a copy, written fresh (see the header). */
static int write_config(int from, int to, strbuf *why)
{
	strbuf conf = STRBUF_INIT, out = STRBUF_INIT;
	int fd =
	    openat(from, "postgresql.conf", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int ret = fd >= 0 && !strbuf_read_fd(&conf, fd) ? 0 : -1;
	if (fd >= 0)
		close(fd);
	if (!ret) {
		filter_conf(conf.buf ? conf.buf : "", &out);
		if (write_file_at(to, "postgresql.conf", out.buf, false) ||
		    write_file_at(to, "postgresql.auto.conf", AUTO_CONF,
				  false) ||
		    write_file_at(to, "pg_hba.conf", HBA_CONF, false) ||
		    write_file_at(to, "pg_ident.conf", IDENT_CONF, false))
			ret = -1;
	}
	if (ret)
		strbuf_addf(why, "cannot write the configuration: %s",
			    strerror(errno));
	strbuf_release(&conf);
	strbuf_release(&out);
	return ret;
}

/* An entry is the server user's, 0700, and holds exactly our key. */
static int check_entry(const devtemplate *t, int entry, strbuf *why)
{
	struct stat st;
	strbuf key = STRBUF_INIT;
	int ret = -1;
	int fd = openat(entry, KEY_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fstat(entry, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 0777) != 0700)
		strbuf_adds(why, "it is not the server user's with mode 0700");
	else if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		 st.st_uid != geteuid() || strbuf_read_fd(&key, fd) < 0)
		strbuf_adds(why, "it has no key file of the server user's");
	else if (!key.buf || strcmp(key.buf, t->key))
		strbuf_adds(why, "its key differs (another server build, "
				 "initdb options or time zone)");
	else
		ret = 0;
	if (fd >= 0)
		close(fd);
	strbuf_release(&key);
	return ret;
}

static void close_fds(int a, int b, int c)
{
	int fds[] = {a, b, c};
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int open_dir_at(int dirfd, const char *name)
{
	return openat(dirfd, name,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int devtemplate_fill(const devtemplate *t, int dirfd, FILE *log)
{
	if (t->cachefd < 0) {
		fprintf(log, "template cache not used: %s\n", t->why.msg);
		return -1;
	}
	strbuf why = STRBUF_INIT;
	int ret = -1, data = -1, to = -1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int entry = open_dir_at(t->cachefd, t->name);
	if (entry < 0)
		strbuf_addf(&why, "not there yet (%s)", strerror(errno));
	else if (check_entry(t, entry, &why) < 0)
		;
	else if ((data = open_dir_at(entry, DATA_DIR)) < 0)
		strbuf_adds(&why, "it has no data directory");
	else if (mkdirat(dirfd, DATA_DIR, 0700) < 0 ||
		 (to = open_dir_at(dirfd, DATA_DIR)) < 0)
		strbuf_addf(&why, "cannot create the data directory: %s",
			    strerror(errno));
	else if (copy_dir(data, to, not_copied, &why) < 0 ||
		 write_config(data, to, &why) < 0)
		sandbox_remove_tree(dirfd, DATA_DIR);
	else
		ret = 0;
	if (ret)
		fprintf(log, "template %s/%s not used: %s\n", t->path, t->name,
			why.buf);
	else {
		/* Wall and CPU time: on a loaded machine only the second
		 * says what the copy itself costs. */
		struct rusage ru;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		getrusage(RUSAGE_SELF, &ru);
		fprintf(
		    log, "template: copied %s/%s in %ld ms (cpu %ld ms)\n",
		    t->path, t->name,
		    (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			   (t1.tv_nsec - t0.tv_nsec) / 1000000),
		    (long)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000));
	}
	close_fds(entry, data, to);
	strbuf_release(&why);
	return ret;
}

/* Remove what killed runs left: temporary siblings older than an hour. */
static void sweep_stale(int cachefd)
{
	int fd = openat(cachefd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	struct stat st;
	time_t now = time(NULL);
	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) &&
		    !fstatat(cachefd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    now - st.st_mtime > STALE_SECONDS)
			sandbox_remove_tree(cachefd, de->d_name);
	closedir(dir);
}

/*
 * Move the entry in place aside and remove it, unless it is (now) a valid
 * one: another run may have replaced a broken entry with its own since
 * we looked. `broken` forces it out (a copy of it did not start).
 */
static void discard_entry(const devtemplate *t, bool broken, FILE *log)
{
	strbuf why = STRBUF_INIT, aside = STRBUF_INIT;
	int entry = open_dir_at(t->cachefd, t->name);
	if (entry >= 0 && (broken || check_entry(t, entry, &why) < 0)) {
		strbuf_addf(&aside, TMP_PREFIX "%s-bad-%ld", t->name,
			    (long)getpid());
		if (!renameat(t->cachefd, t->name, t->cachefd, aside.buf)) {
			fprintf(log, "template: removed %s/%s\n", t->path,
				t->name);
			sandbox_remove_tree(t->cachefd, aside.buf);
		}
	}
	if (entry >= 0)
		close(entry);
	strbuf_release(&why);
	strbuf_release(&aside);
}

int devtemplate_publish(const devtemplate *t, int dirfd, bool broken, FILE *log)
{
	if (t->cachefd < 0)
		return -1;
	sweep_stale(t->cachefd);
	strbuf tmp = STRBUF_INIT, why = STRBUF_INIT;
	strbuf_addf(&tmp, TMP_PREFIX "%s-%ld", t->name, (long)getpid());
	int ret = -1, entry = -1, to = -1;
	int data = open_dir_at(dirfd, DATA_DIR);
	/* The copy is synced before the key is written and the rename
	 * publishes it: a crash must not leave a valid key on torn files.
	 * One syncfs for the lot: an fsync per file costs seconds on a busy
	 * disk. */
	if (data < 0 || mkdirat(t->cachefd, tmp.buf, 0700) < 0 ||
	    (entry = open_dir_at(t->cachefd, tmp.buf)) < 0 ||
	    mkdirat(entry, DATA_DIR, 0700) < 0 ||
	    (to = open_dir_at(entry, DATA_DIR)) < 0)
		strbuf_addf(&why, "cannot create %s: %s", tmp.buf,
			    strerror(errno));
	else if (copy_dir(data, to, NULL, &why) < 0)
		;
	else if (syncfs(entry) < 0)
		strbuf_addf(&why, "syncfs: %s", strerror(errno));
	else if (write_file_at(entry, KEY_FILE, t->key, true) < 0 ||
		 fsync(entry) < 0)
		strbuf_addf(&why, "cannot write the key: %s", strerror(errno));
	else {
		discard_entry(t, broken, log);
		if (!renameat(t->cachefd, tmp.buf, t->cachefd, t->name)) {
			fsync(t->cachefd);
			fprintf(log, "template: published %s/%s\n", t->path,
				t->name);
			ret = 0;
		} else if (errno == EEXIST || errno == ENOTEMPTY) {
			/* Another run was first: its entry stands. */
			fprintf(log,
				"template: %s/%s published by another "
				"run first\n",
				t->path, t->name);
			ret = 0;
		} else
			strbuf_addf(&why, "cannot rename into place: %s",
				    strerror(errno));
	}
	if (ret)
		fprintf(log, "template %s/%s not published: %s\n", t->path,
			t->name, why.buf);
	/* Ours, unless the rename moved it. */
	sandbox_remove_tree(t->cachefd, tmp.buf);
	close_fds(entry, data, to);
	strbuf_release(&tmp);
	strbuf_release(&why);
	return ret;
}
