/*
 * pg_introspect: read a live schema into the model with a fixed set of
 * catalog queries (catalog.c) run in one consistent snapshot, then
 * assemble the rows in C (introspect_*.c).
 */
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "catalog.h"
#include "conn.h"

void pg_oid_map_add(pg_oid_map *map, unsigned int oid, int idx)
{
	ALLOC_GROW(map->items, map->n + 1, map->alloc);
	map->items[map->n].oid = oid;
	map->items[map->n].idx = idx;
	map->n++;
}

static int cmp_oid_entry(const void *a, const void *b)
{
	unsigned int x = ((const pg_oid_entry *)a)->oid;
	unsigned int y = ((const pg_oid_entry *)b)->oid;
	return (x > y) - (x < y);
}

void pg_oid_map_sort(pg_oid_map *map)
{
	if (map->n > 1)
		qsort(map->items, map->n, sizeof(*map->items), cmp_oid_entry);
}

int pg_oid_map_find(const pg_oid_map *map, unsigned int oid)
{
	pg_oid_entry key = {oid, 0};
	const pg_oid_entry *hit;
	if (!map->n)
		return -1;
	hit = bsearch(&key, map->items, map->n, sizeof(*map->items),
		      cmp_oid_entry);
	return hit ? hit->idx : -1;
}

void pg_oid_map_release(pg_oid_map *map)
{
	free(map->items);
	memset(map, 0, sizeof(*map));
}

int pg_res_col(const PGresult *r, const char *name)
{
	return PQfnumber(r, name);
}

const char *pg_res_val(const PGresult *r, int row, int col)
{
	if (col < 0 || PQgetisnull(r, row, col))
		return NULL;
	return PQgetvalue(r, row, col);
}

char *pg_res_str(model *m, const PGresult *r, int row, int col)
{
	return model_str(m, pg_res_val(r, row, col));
}

bool pg_res_bool(const PGresult *r, int row, int col)
{
	const char *v = pg_res_val(r, row, col);
	return v && *v == 't';
}

unsigned int pg_res_oid(const PGresult *r, int row, int col)
{
	const char *v = pg_res_val(r, row, col);
	return v ? (unsigned int)strtoul(v, NULL, 10) : 0;
}

long long pg_res_int(const PGresult *r, int row, int col)
{
	const char *v = pg_res_val(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

/*
 * The server's text form of a one-dimensional array: elements separated
 * by commas, double-quoted (with backslash escapes) when they hold
 * special characters. Our arrays never hold NULLs.
 */
void pg_res_text_array(model *m, const char *text, char ***arr, int *n,
		       int *cap)
{
	strbuf sb = STRBUF_INIT;
	const char *p = text;
	if (!p || *p != '{')
		return;
	p++;
	while (*p && *p != '}') {
		strbuf_reset(&sb);
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				strbuf_addch(&sb, *p);
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && *p != '}')
				strbuf_addch(&sb, *p++);
		}
		*ARENA_PUSH(&m->arena, *arr, *n, *cap) =
		    arena_strdup(&m->arena, strbuf_str(&sb));
		if (*p == ',')
			p++;
	}
	strbuf_release(&sb);
}

static void build_schemas(model *m, pg_catalog *cat)
{
	PGresult *r = cat->res[PGQ_SCHEMAS];
	int c_name = pg_res_col(r, "name"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		/* Every database has "public": it is implicit in a model. */
		if (!strcmp(pg_res_val(r, i, c_name), "public"))
			continue;
		m_schema *s = model_add_schema(m);
		s->name = pg_res_str(m, r, i, c_name);
		s->comment = pg_res_str(m, r, i, c_comment);
	}

	r = cat->res[PGQ_UNSUPPORTED];
	for (int i = 0; i < PQntuples(r); i++)
		model_add_warning(m, "%s", PQgetvalue(r, i, 0));

	r = cat->res[PGQ_EXTENSIONS];
	c_name = pg_res_col(r, "name");
	int c_schema = pg_res_col(r, "schema");
	for (int i = 0; i < PQntuples(r); i++) {
		m_extension *x = model_add_extension(m);
		x->name = pg_res_str(m, r, i, c_name);
		x->schema = pg_res_str(m, r, i, c_schema);
	}
}

/* The queries run in this order; a failure names the one that failed. */
static int run_queries(PGconn *conn, pg_catalog *cat, error *e)
{
	for (int q = 0; q < PGQ_COUNT; q++) {
		PGresult *r = PQexec(conn, pg_catalog_queries[q].sql);
		cat->res[q] = r;
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			char *msg = xstrdup(PQresultErrorMessage(r));
			size_t len = strlen(msg);
			while (len &&
			       (msg[len - 1] == '\n' || msg[len - 1] == ' '))
				msg[--len] = '\0';
			error_set(e, EXIT_DB,
				  "cannot read %s from the catalog: %s",
				  pg_catalog_queries[q].name, msg);
			free(msg);
			return -1;
		}
	}
	return 0;
}

int pg_introspect(model *m, const char *url, error *e)
{
	PGconn *conn = NULL;
	pg_catalog cat;
	int ret = -1;

	memset(&cat, 0, sizeof(cat));
	if (pg_connect(url, &conn, e) < 0)
		return -1;
	/* The queries read catalog columns that PostgreSQL 13 added
	 * (pg_trigger.tgparentid). */
	if (PQserverVersion(conn) < 130000) {
		error_set(e, EXIT_DB,
			  "PostgreSQL %d.%d is not supported: introspection "
			  "needs version 13 or later",
			  PQserverVersion(conn) / 10000,
			  PQserverVersion(conn) / 100 % 100);
		PQfinish(conn);
		return -1;
	}
	/* One snapshot for every query; an empty search_path makes the
	 * server's deparsers qualify every name outside pg_catalog, which
	 * is the model's canonical form, and ISO dates in UTC make the
	 * timestamps they print (partition bounds, defaults) the same
	 * whatever the server's or the role's settings. */
	if (pg_run(conn,
		   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
		   "SET LOCAL search_path = ''; SET LOCAL TimeZone = 'UTC'; "
		   "SET LOCAL DateStyle = 'ISO, YMD'",
		   "cannot start the introspection transaction", e) < 0)
		goto out;
	if (run_queries(conn, &cat, e) < 0)
		goto out;
	pg_run(conn, "COMMIT", "commit", NULL);

	m->introspected = true;
	build_schemas(m, &cat);
	pg_build_types(m, &cat);
	pg_build_tables(m, &cat);
	pg_build_objects(m, &cat);
	pg_build_textsearch(m, &cat);
	pg_build_opers(m, &cat);
	model_sort(m);
	ret = 0;
out:
	for (int q = 0; q < PGQ_COUNT; q++)
		PQclear(cat.res[q]);
	PQfinish(conn);
	return ret;
}
