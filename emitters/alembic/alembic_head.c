/*
 * Where an Alembic revision goes and which revision it follows.
 *
 * Alembic itself imports every revision module to build its graph; we
 * cannot run Python here, so the two module-level assignments that make
 * the graph (`revision = ...`, `down_revision = ...`) are read from the
 * text, in both the plain form of the old templates and the annotated
 * form (`down_revision: Union[str, None] = ...`) of the new ones. A value
 * we cannot read is an error rather than a guess: a wrong down_revision
 * would give the project two heads.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../util/xalloc.h"
#include "alembic.h"

/* One revision file: its id and the ids it revises. */
typedef struct rev_file {
	char *file;
	char *id;
	char **downs;
	int ndowns, cdowns;
} rev_file;

typedef struct rev_graph {
	rev_file *revs;
	int nrevs, crevs;
} rev_graph;

static void rev_free(rev_file *r)
{
	free(r->file);
	free(r->id);
	for (int j = 0; j < r->ndowns; j++)
		free(r->downs[j]);
	free(r->downs);
}

static void graph_release(rev_graph *g)
{
	for (int i = 0; i < g->nrevs; i++)
		rev_free(&g->revs[i]);
	free(g->revs);
}

/* The start of the line after the one at `l`, or NULL. */
static const char *next_line(const char *l)
{
	l = strchr(l, '\n');
	return l ? l + 1 : NULL;
}

static bool is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* Both paths name the same existing directory. */
static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

/* The last component of `dir` (trailing slashes aside) is "versions". */
static bool is_versions_name(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n >= 8 && !strncmp(dir + n - 8, "versions", 8) &&
	       (n == 8 || dir[n - 9] == '/');
}

/* ---- alembic.ini --------------------------------------------------------
 * A configparser file: "[alembic]" then "key = value" (or "key: value")
 * lines; "%(here)s" is the file's directory and "%%" a literal percent. */

static char *ini_value(const char *text, const char *key, const char *here)
{
	bool in_section = false;
	size_t klen = strlen(key);
	for (const char *l = text; l && *l; l = next_line(l)) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);
		if (*l == '[') {
			in_section = n >= 9 && !strncmp(l, "[alembic]", 9);
			continue;
		}
		if (!in_section || n <= klen || strncmp(l, key, klen))
			continue;
		const char *p = l + klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=' && *p != ':')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		strbuf v = STRBUF_INIT;
		for (const char *q = p; q < l + n; q++) {
			if (!strncmp(q, "%(here)s", 8)) {
				strbuf_adds(&v, here);
				q += 7;
			} else if (q[0] == '%' && q[1] == '%') {
				strbuf_addch(&v, '%');
				q++;
			} else {
				strbuf_addch(&v, *q);
			}
		}
		strbuf_trim(&v);
		return strbuf_detach(&v);
	}
	return NULL;
}

/* `path` taken from alembic.ini: relative paths are the project root's. */
static void add_ini_path(strbuf *sb, const char *root, const char *path)
{
	if (*path == '/')
		strbuf_adds(sb, path);
	else
		strbuf_addf(sb, "%s/%s", root, path);
}

/* version_locations replaces <script location>/versions: the revision
 * must go to one of them, or Alembic would never see it. Entries are
 * separated by spaces, commas or ':' (version_path_separator). */
static int check_version_locations(const char *ini, const char *root,
				   const char *versions, error *e)
{
	char *locs = ini_value(ini, "version_locations", root);
	bool found = !locs || !*locs;
	for (char *save = NULL, *t = locs ? strtok_r(locs, " ,:", &save) : NULL;
	     t && !found; t = strtok_r(NULL, " ,:", &save)) {
		strbuf sb = STRBUF_INIT;
		add_ini_path(&sb, root, t);
		found = same_dir(sb.buf, versions);
		strbuf_release(&sb);
	}
	free(locs);
	if (found)
		return 0;
	locs = ini_value(ini, "version_locations", root);
	error_set(e, EXIT_USAGE,
		  "alembic.ini: version_locations is '%s': Alembic would not "
		  "find a revision in %s; pass the --dir of one of them",
		  locs, versions);
	free(locs);
	return -1;
}

int alembic_find_versions(const emit_ctx *c, char **versions,
			  const char **prefix, error *e)
{
	strbuf sb = STRBUF_INIT, ini = STRBUF_INIT;
	char *loc = NULL;
	int ret = -1;

	*versions = NULL;
	if (c->root) {
		strbuf_addf(&sb, "%s/alembic.ini", c->root);
		if (strbuf_read_file(&ini, sb.buf) == 0)
			loc = ini_value(strbuf_str(&ini), "script_location",
					c->root);
	}
	/* c->dir is the script location (env.py beside versions/), or its
	 * versions/ directory. */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/env.py", c->dir);
	if (is_file(sb.buf))
		goto script_location;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/../env.py", c->dir);
	if (is_versions_name(c->dir) && is_file(sb.buf))
		goto versions_dir;

	/* No env.py to go by: the project's alembic.ini, when there is one,
	 * says where Alembic looks. */
	if (loc && *loc) {
		strbuf_reset(&sb);
		add_ini_path(&sb, c->root, loc);
		if (same_dir(sb.buf, c->dir))
			goto script_location;
		strbuf_adds(&sb, "/versions");
		if (same_dir(sb.buf, c->dir))
			goto versions_dir;
		error_set(e, EXIT_USAGE,
			  "alembic.ini: script_location is '%s' but the "
			  "migrations directory is '%s': pass --dir %s (or set "
			  "migrations.dir)",
			  loc, c->dir, loc);
		goto out;
	}
	/* A project Alembic does not know yet: the usual layout. */
script_location:
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/versions", c->dir);
	*prefix = "versions/";
	goto done;
versions_dir:
	strbuf_reset(&sb);
	strbuf_adds(&sb, c->dir);
	*prefix = "";
done:
	if (ini.len && check_version_locations(ini.buf, c->root, sb.buf, e) < 0)
		goto out;
	*versions = strbuf_detach(&sb);
	ret = 0;
out:
	free(loc);
	strbuf_release(&sb);
	strbuf_release(&ini);
	return ret;
}

/* ---- revision files ---------------------------------------------------- */

static const char *skip_space(const char *p, bool newlines)
{
	for (;;) {
		if (*p == ' ' || *p == '\t' || (newlines && *p == '\n') ||
		    (newlines && *p == '\r'))
			p++;
		else if (newlines && *p == '#')
			while (*p && *p != '\n')
				p++;
		else
			return p;
	}
}

/* A quoted string (an id: no escapes beyond \x). NULL when there is none;
 * *end past it. */
static char *read_py_str(const char *p, const char **end)
{
	if (*p == 'r' || *p == 'u' || *p == 'R' || *p == 'U')
		p++;
	char q = *p;
	if (q != '\'' && q != '"')
		return NULL;
	strbuf sb = STRBUF_INIT;
	for (p++; *p && *p != q && *p != '\n'; p++) {
		if (*p == '\\' && p[1] && p[1] != '\n')
			p++;
		strbuf_addch(&sb, *p);
	}
	if (*p != q) {
		strbuf_release(&sb);
		return NULL;
	}
	*end = p + 1;
	return strbuf_detach(&sb);
}

static int line_of(const char *text, const char *p)
{
	int line = 1;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

/* The value of `down_revision`: None, a string, or a tuple/list of
 * strings (a merge revision), possibly over several lines. */
static int read_downs(rev_file *r, const char *text, const char *p, error *e)
{
	const char *start = p;
	if (!strncmp(p, "None", 4))
		return 0;
	char *s = read_py_str(p, &p);
	if (s) {
		ALLOC_GROW(r->downs, r->ndowns + 1, r->cdowns);
		r->downs[r->ndowns++] = s;
		return 0;
	}
	char close = *p == '(' ? ')' : *p == '[' ? ']' : 0;
	if (!close)
		goto bad;
	for (p = skip_space(p + 1, true); *p != close;) {
		s = read_py_str(p, &p);
		if (!s)
			goto bad;
		ALLOC_GROW(r->downs, r->ndowns + 1, r->cdowns);
		r->downs[r->ndowns++] = s;
		p = skip_space(p, true);
		if (*p == ',')
			p = skip_space(p + 1, true);
		else if (*p != close)
			goto bad;
	}
	return 0;
bad:
	return error_set(e, EXIT_USAGE,
			 "%s:%d: cannot read down_revision: expected None, a "
			 "quoted revision id or a tuple of them",
			 r->file, line_of(text, start));
}

/* Position of the value of module-level `name` (annotated or not) in the
 * line at `l`, or NULL when the line assigns something else. */
static const char *assignment(const char *l, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(l, name, n))
		return NULL;
	const char *p = skip_space(l + n, false);
	if (*p == ':') /* an annotation: up to the '=' */
		while (*p && *p != '\n' && *p != '=')
			p++;
	if (*p != '=' || p[1] == '=')
		return NULL;
	return skip_space(p + 1, false);
}

static int read_rev_file(rev_file *r, const char *text, error *e)
{
	for (const char *l = text; l && *l; l = next_line(l)) {
		const char *v;
		if ((v = assignment(l, "revision"))) {
			const char *end;
			free(r->id);
			r->id = read_py_str(v, &end);
			if (!r->id)
				return error_set(
				    e, EXIT_USAGE,
				    "%s:%d: cannot read revision: "
				    "expected a quoted revision id",
				    r->file, line_of(text, v));
		} else if ((v = assignment(l, "down_revision"))) {
			if (read_downs(r, text, v, e) < 0)
				return -1;
		}
	}
	return 0;
}

int alembic_read_revision(const char *path, char **id, char ***downs,
			  int *ndowns, error *e)
{
	strbuf text = STRBUF_INIT;
	rev_file r = {.file = xstrdup(path)};
	int ret = -1;

	*id = NULL;
	*downs = NULL;
	*ndowns = 0;
	if (strbuf_read_file(&text, path) < 0)
		error_set(e, EXIT_USAGE, "cannot read %s: %s", path,
			  strerror(errno));
	else if (read_rev_file(&r, strbuf_str(&text), e) < 0)
		ret = -1;
	else if (!r.id)
		error_set(e, EXIT_USAGE,
			  "%s: no revision = \"...\" line: not an Alembic "
			  "revision",
			  path);
	else
		ret = 0;
	if (!ret) {
		*id = r.id;
		*downs = r.downs;
		*ndowns = r.ndowns;
		r.id = NULL;
		r.downs = NULL;
		r.ndowns = 0;
	}
	rev_free(&r);
	strbuf_release(&text);
	return ret;
}

void alembic_revision_free(char *id, char **downs, int ndowns)
{
	rev_file r = {.id = id, .downs = downs, .ndowns = ndowns};
	rev_free(&r);
}

/* The files Alembic would load: *.py but __init__.py and editor
 * leftovers (".#..."), as its own file pattern does. */
static bool is_rev_name(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".py") && name[0] != '.' &&
	       strncmp(name, "__init__", 8);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_graph(const char *versions, rev_graph *g, error *e)
{
	DIR *d = opendir(versions);
	if (!d) /* no versions yet */
		return errno == ENOENT ? 0
				       : error_set(e, EXIT_USAGE, "%s: %s",
						   versions, strerror(errno));
	char **names = NULL;
	int nnames = 0, cnames = 0, ret = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (is_rev_name(de->d_name)) {
			ALLOC_GROW(names, nnames + 1, cnames);
			names[nnames++] = xstrdup(de->d_name);
		}
	closedir(d);
	/* Sorted, so messages do not depend on the directory order. */
	if (nnames)
		qsort(names, (size_t)nnames, sizeof(*names), cmp_str);
	for (int i = 0; i < nnames && !ret; i++) {
		strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", versions, names[i]);
		if (is_file(path.buf)) {
			if (strbuf_read_file(&text, path.buf) < 0) {
				ret = error_set(e, EXIT_USAGE, "%s: %s",
						path.buf, strerror(errno));
			} else {
				ALLOC_GROW(g->revs, g->nrevs + 1, g->crevs);
				rev_file *r = &g->revs[g->nrevs++];
				memset(r, 0, sizeof(*r));
				r->file = xstrdup(path.buf);
				ret = read_rev_file(r, strbuf_str(&text), e);
				/* A helper module, not a revision. */
				if (!ret && !r->id)
					rev_free(&g->revs[--g->nrevs]);
			}
		}
		strbuf_release(&path);
		strbuf_release(&text);
	}
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return ret;
}

int alembic_find_head(const char *versions, const char *rev, bool regenerate,
		      char **head, error *e)
{
	rev_graph g = {0};
	strbuf heads = STRBUF_INIT;
	int nheads = 0, ret = -1;
	const char *last = NULL;

	*head = NULL;
	if (read_graph(versions, &g, e) < 0)
		goto out;
	/* Re-rendering: the plan's own revision was not there yet. */
	for (int i = 0; regenerate && i < g.nrevs; i++)
		if (!strcmp(g.revs[i].id, rev)) {
			rev_free(&g.revs[i]);
			memmove(&g.revs[i], &g.revs[i + 1],
				(size_t)(--g.nrevs - i) * sizeof(*g.revs));
			i--;
		}
	for (int i = 0; i < g.nrevs; i++) {
		if (!strcmp(g.revs[i].id, rev)) {
			error_set(e, EXIT_USAGE,
				  "%s: revision '%s' exists already (a plan "
				  "with the same id prefix?)",
				  g.revs[i].file, rev);
			goto out;
		}
		bool revised = false;
		for (int j = 0; j < g.nrevs && !revised; j++)
			for (int k = 0; k < g.revs[j].ndowns; k++)
				if (!strcmp(g.revs[j].downs[k], g.revs[i].id))
					revised = true;
		if (revised)
			continue;
		strbuf_addf(&heads, "%s%s (%s)", nheads ? ", " : "",
			    g.revs[i].id, g.revs[i].file);
		nheads++;
		last = g.revs[i].id;
	}
	if (nheads > 1) {
		error_set(e, EXIT_USAGE,
			  "%s: Alembic has %d heads: %s; merge them first "
			  "(alembic merge heads) so the new revision has one "
			  "parent",
			  versions, nheads, heads.buf);
		goto out;
	}
	if (!nheads && g.nrevs) {
		error_set(e, EXIT_USAGE,
			  "%s: no head: the down_revision links form a cycle",
			  versions);
		goto out;
	}
	*head = last ? xstrdup(last) : NULL;
	ret = 0;
out:
	strbuf_release(&heads);
	graph_release(&g);
	return ret;
}
