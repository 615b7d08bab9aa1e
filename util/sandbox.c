/*
 * The throwaway servers' shared pieces (sandbox.h).
 */
#include "sandbox.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "xalloc.h"

extern char **environ;

struct dirent64_raw {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Remove a tree using only system calls (openat, getdents64, unlinkat),
 * so that the signal handler can use the very same code as the normal
 * path. A directory is re-read from the start until it is empty, since
 * removing entries while reading may make getdents skip some.
 */
void sandbox_remove_tree(int dirfd, const char *name)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		unlinkat(dirfd, name, 0);
		return;
	}
	for (int pass = 0; pass < 64; pass++) {
		char buf[4096];
		bool removed = false;
		long n;
		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) >
		       0) {
			for (long off = 0; off < n;) {
				struct dirent64_raw *de =
				    (struct dirent64_raw *)(buf + off);
				off += de->d_reclen;
				const char *dn = de->d_name;
				if (dn[0] == '.' &&
				    (!dn[1] || (dn[1] == '.' && !dn[2])))
					continue;
				if (de->d_type == DT_DIR ||
				    (unlinkat(fd, dn, 0) < 0 &&
				     errno == EISDIR))
					sandbox_remove_tree(fd, dn);
				removed = true;
			}
		}
		if (!removed)
			break;
	}
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

int sandbox_create_file(int dirfd, const char *name)
{
	return openat(dirfd, name,
		      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      0600);
}

/*
 * The environment throwaway servers' programs run with: PATH, LANG, LC_* and TZ
 * only. Whatever else schemig was given (tokens, DATABASE_URL, cloud
 * keys) must not be readable through the server, e.g. by a schema file
 * reading /proc/self/environ through a server function. The strings are
 * environ's own; only the array is allocated (the caller frees it).
 */
char **sandbox_minimal_env(void)
{
	size_t n = 0, k = 0;
	while (environ && environ[n])
		n++;
	char **env = xcalloc(n + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		const char *v = environ[i];
		if (!strncmp(v, "PATH=", 5) || !strncmp(v, "LANG=", 5) ||
		    !strncmp(v, "LC_", 3) || !strncmp(v, "TZ=", 3))
			env[k++] = environ[i];
	}
	return env;
}

const char *sandbox_tmp_base(void)
{
	const char *base = getenv("TMPDIR");
	/* A unix socket path is limited to ~107 bytes. */
	if (!base || !*base || strlen(base) > 60)
		base = "/tmp";
	return base;
}
