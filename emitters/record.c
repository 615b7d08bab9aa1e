/*
 * What the record_applied implementations share: finding the files of a
 * change by their header, reading them, and the dialect they speak.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../dialects/dialect.h"
#include "../util/xalloc.h"
#include "record.h"

int record_check(const struct dialect *d, const char *what, int nfiles,
		 error *e)
{
	if (!d || strcmp(d->name, "postgres"))
		return error_set(e, EXIT_USAGE,
				 "recording an applied migration in %s's "
				 "history is only known for PostgreSQL, not %s",
				 what, d ? d->name : "(no dialect)");
	if (nfiles < 1)
		return error_set(e, EXIT_USAGE,
				 "%s: no migration file to record", what);
	return 0;
}

void record_sql(strbuf *sql, const struct dialect *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1]) {
			strbuf_addch(sql, *p);
			continue;
		}
		switch (*++p) {
		case 'I':
			d->quote_ident(sql, va_arg(ap, const char *));
			break;
		case 'L':
			d->quote_literal(sql, va_arg(ap, const char *));
			break;
		case 's':
			strbuf_adds(sql, va_arg(ap, const char *));
			break;
		case 'd':
			strbuf_addf(sql, "%d", va_arg(ap, int));
			break;
		default:
			strbuf_addch(sql, *p);
			break;
		}
	}
	va_end(ap);
}

const char *record_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int record_read(const char *dir, const char *file, strbuf *text, error *e)
{
	strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", dir, file);
	strbuf_reset(text);
	int ret = 0;
	if (strbuf_read_file(text, path.buf) < 0)
		ret = error_set(e, EXIT_USAGE, "cannot read %s: %s", path.buf,
				strerror(errno));
	strbuf_release(&path);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append to *out the regular files of dir/sub whose header names
 * `change_id`, as sub + name. A missing directory holds none. */
static int scan_dir(const char *dir, const char *sub, const char *change_id,
		    char ***out, int *n, int *cap, error *e)
{
	strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", dir, sub);
	DIR *d = opendir(path.buf);
	if (!d) {
		int ret = errno == ENOENT || errno == ENOTDIR
			      ? 0
			      : error_set(e, EXIT_USAGE, "cannot read %s: %s",
					  path.buf, strerror(errno));
		strbuf_release(&path);
		return ret;
	}
	/* "dir/" for the directory itself: no "//" in the paths below. */
	if (path.len > 1 && path.buf[path.len - 1] == '/')
		strbuf_setlen(&path, path.len - 1);
	size_t base = path.len;
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		emit_header_info h;
		if (de->d_name[0] == '.')
			continue;
		strbuf_setlen(&path, base);
		strbuf_addf(&path, "/%s", de->d_name);
		/* lstat: a symbolic link is not a committed migration (the
		 * branch under review could point one anywhere). */
		if (lstat(path.buf, &st) || !S_ISREG(st.st_mode) ||
		    strbuf_read_file(&text, path.buf) < 0 || !text.buf)
			continue;
		/* Only a generated file's header names a change. */
		bool match = emit_read_header(text.buf, &h) == 0 &&
			     h.change_id && !strcmp(h.change_id, change_id);
		emit_header_info_release(&h);
		strbuf_reset(&text);
		if (!match)
			continue;
		ALLOC_GROW(*out, *n + 1, *cap);
		strbuf rel = STRBUF_INIT;
		strbuf_addf(&rel, "%s%s", sub, de->d_name);
		(*out)[(*n)++] = strbuf_detach(&rel);
	}
	closedir(d);
	strbuf_release(&path);
	strbuf_release(&text);
	return 0;
}

int emit_files_of_change(const char *dir, const char *change_id, char ***out,
			 int *n, error *e)
{
	int cap = 0;
	*out = NULL;
	*n = 0;
	/* Alembic's revisions live in versions/ under the script location
	 * the others' migrations directory stands for. */
	if (scan_dir(dir, "", change_id, out, n, &cap, e) < 0 ||
	    scan_dir(dir, "versions/", change_id, out, n, &cap, e) < 0) {
		emit_files_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n)
		qsort(*out, (size_t)*n, sizeof(**out), cmp_str);
	return 0;
}

void emit_files_free(char **files, int n)
{
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
}
