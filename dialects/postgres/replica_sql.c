/*
 * The source-side SQL of a replica (replica.c runs it): for each table,
 * one `COPY (SELECT masked columns FROM table WHERE in the sample) TO
 * STDOUT`, so that masking happens in the source's own query and an
 * unmasked value never leaves the source.
 *
 * Masks are functions of the value and of a salt the source session
 * holds in the setting schemig.mask_salt (set with a bound parameter, so
 * it shows in no query text): the same input gives the same output in
 * every table, which keeps foreign keys joined, and distinct inputs give
 * distinct outputs (hash, email), which keeps unique keys unique. NULL
 * stays NULL. The output keeps the column's type and length.
 *
 * A sample takes each table's own rows by TABLESAMPLE (REPEATABLE with
 * one seed for the whole copy, so that a table sampled twice in one
 * snapshot gives the same rows both times), plus every row that a kept
 * row of another table references through a foreign key, so that the
 * copy's foreign keys hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../replica/replica.h"
#include "../../util/strbuf.h"
#include "pg.h"

/* The keyed hash of `x`, as bytea (32 bytes). */
static void hash_bytes(strbuf *out, const char *x)
{
	strbuf_addf(out,
		    "sha256(convert_to(current_setting('schemig.mask_salt') "
		    "|| (%s)::text, 'UTF8'))",
		    x);
}

static void hash_hex(strbuf *out, const char *x, int len)
{
	strbuf_adds(out, "left(encode(");
	hash_bytes(out, x);
	strbuf_addf(out, ", 'hex'), %d)", len);
}

/* The length limit of "character varying(n)" / "character(n)"; 0 none,
 * -1 when the type holds no text. */
static int text_limit(const char *type)
{
	static const char *const plain[] = {"text", "citext", "public.citext",
					    "name", NULL};
	for (int i = 0; plain[i]; i++)
		if (!strcmp(type, plain[i]))
			return 0;
	const char *p = NULL;
	if (!strncmp(type, "character varying", 17))
		p = type + 17;
	else if (!strncmp(type, "character", 9))
		p = type + 9;
	if (!p)
		return -1;
	if (!*p)
		return strncmp(type, "character varying", 17) ? 1 : 0;
	if (*p != '(')
		return -1;
	int n = atoi(p + 1);
	return n > 0 ? n : -1;
}

/* The first `n` characters of `expr` when the column has a limit. */
static void fit(strbuf *out, const char *expr, int limit)
{
	if (limit > 0)
		strbuf_addf(out, "left(%s, %d)", expr, limit);
	else
		strbuf_adds(out, expr);
}

static const char *const first_names[] = {
    "Ada",	"Alan", "Grace",  "Linus",   "Barbara", "Dennis",
    "Margaret", "Ken",	"Edsger", "Frances", "John",	"Radia",
    "Donald",	"Hedy", "Tim",	  "Sophie"};
static const char *const last_names[] = {
    "Lovelace", "Turing",   "Hopper",	"Torvalds", "Liskov", "Ritchie",
    "Hamilton", "Thompson", "Dijkstra", "Allen",    "Backus", "Perlman",
    "Knuth",	"Lamarr",   "Berners",	"Wilson"};

static void name_list(strbuf *out, const char *const *names, int n)
{
	strbuf_adds(out, "(ARRAY[");
	for (int i = 0; i < n; i++)
		strbuf_addf(out, "%s'%s'", i ? "," : "", names[i]);
	strbuf_adds(out, "])");
}

static int unsupported(const replica_table *t, const replica_column *c,
		       const char *why, error *e)
{
	return error_set(e, EXIT_USAGE,
			 "mask: %s.%s.%s (%s): %s cannot mask a column of "
			 "type %s%s%s",
			 t->t->schema, t->t->name, c->col->name, c->why,
			 replica_mask_name(c->mask), c->col->type,
			 why ? ": " : "", why ? why : "");
}

/* The hash mask of `x` in the column's own type. */
static int hash_typed(strbuf *out, const replica_table *t,
		      const replica_column *c, const char *x, error *e)
{
	const char *type = c->col->type;
	int limit = text_limit(type);
	strbuf h = STRBUF_INIT;
	int ret = 0;
	if (limit >= 0) {
		/* 32 hex digits are 128 bits: no two of a table's values
		 * meet. A shorter column keeps what fits. */
		hash_hex(out, x, limit > 0 && limit < 32 ? limit : 32);
	} else if (!strcmp(type, "uuid")) {
		hash_hex(out, x, 32);
		strbuf_adds(out, "::uuid");
	} else if (!strcmp(type, "bytea")) {
		hash_bytes(out, x);
	} else if (!strcmp(type, "bigint")) {
		strbuf_adds(out, "('x' || ");
		hash_hex(out, x, 15);
		strbuf_adds(out, ")::bit(60)::bigint");
	} else if (!strcmp(type, "integer") || !strcmp(type, "smallint")) {
		if (c->in_unique)
			ret = unsupported(t, c,
					  "the column is unique and its "
					  "values are too few to hash "
					  "without collisions",
					  e);
		strbuf_adds(out, "('x' || ");
		hash_hex(out, x, 3);
		strbuf_addf(out, ")::bit(12)::int%s",
			    !strcmp(type, "smallint") ? "::smallint" : "");
	} else if (!strcmp(type, "inet") || !strcmp(type, "cidr")) {
		/* A private address from the hash's first bytes. */
		hash_bytes(&h, x);
		strbuf_addf(out,
			    "('10.' || get_byte(%s, 0) || '.' || get_byte(%s, "
			    "1) || '.' || get_byte(%s, 2))::%s",
			    h.buf, h.buf, h.buf, type);
	} else if (!strcmp(type, "jsonb") || !strcmp(type, "json")) {
		strbuf_addf(out, "to_%s(", type);
		hash_hex(out, x, 32);
		strbuf_adds(out, ")");
	} else {
		ret = unsupported(t, c, NULL, e);
	}
	strbuf_release(&h);
	return ret;
}

int pg_replica_mask_sql(strbuf *out, const replica_table *t,
			const replica_column *c, const char *alias, error *e)
{
	strbuf x = STRBUF_INIT, h = STRBUF_INIT, v = STRBUF_INIT;
	int ret = 0;
	strbuf_addf(&x, "%s.", alias);
	pg_quote_ident(&x, c->col->name);
	int limit = text_limit(c->col->type);
	bool text = limit >= 0;

	switch (c->mask) {
	case REPLICA_MASK_NONE:
	case REPLICA_MASK_KEEP:
		strbuf_add(out, x.buf, x.len);
		break;
	case REPLICA_MASK_NULL:
		strbuf_adds(out, "NULL");
		break;
	case REPLICA_MASK_HASH:
		ret = hash_typed(out, t, c, x.buf, e);
		break;
	case REPLICA_MASK_EMAIL:
		/* 'u' and 20 hex digits (80 bits) at a domain reserved for
		 * examples: 33 characters. */
		if (!text || (limit && limit < 24)) {
			ret = unsupported(
			    t, c,
			    text ? "an address needs 24 characters" : NULL, e);
			break;
		}
		strbuf_adds(&h, "'u' || ");
		hash_hex(&h, x.buf, limit && limit < 33 ? limit - 13 : 20);
		strbuf_adds(&h, " || '@example.com'");
		strbuf_addf(out, "(%s)", h.buf);
		break;
	case REPLICA_MASK_FAKE_NAME:
		if (!text) {
			ret = unsupported(t, c, NULL, e);
			break;
		}
		hash_bytes(&h, x.buf);
		strbuf_adds(&v, "(");
		name_list(&v, first_names, 16);
		strbuf_addf(&v, ")[1 + get_byte(%s, 0) %% 16] || ' ' || ",
			    h.buf);
		name_list(&v, last_names, 16);
		/* 48 bits of the hash after the name: distinct people stay
		 * distinct, so that a migration adding a unique key over
		 * names meets on the copy what it meets on the source. */
		strbuf_addf(&v, "[1 + get_byte(%s, 1) %% 16] || ' ' || ",
			    h.buf);
		hash_hex(&v, x.buf, 12);
		strbuf_addf(out, "CASE WHEN %s IS NULL THEN NULL ELSE ", x.buf);
		fit(out, v.buf, limit);
		strbuf_adds(out, " END");
		break;
	case REPLICA_MASK_PHONE:
		if (!text) {
			ret = unsupported(t, c, NULL, e);
			break;
		}
		/* +1 555 and seven digits: the range kept for fiction. */
		strbuf_adds(&v, "'+1555' || lpad(((('x' || ");
		hash_hex(&v, x.buf, 7);
		strbuf_adds(&v, ")::bit(28)::int) % 10000000)::text, 7, '0')");
		fit(out, v.buf, limit);
		break;
	case REPLICA_MASK_REDACT:
		if (!text) {
			ret = unsupported(t, c, NULL, e);
			break;
		}
		strbuf_addf(out, "repeat('x', length(%s))", x.buf);
		break;
	default:
		ret = unsupported(t, c, NULL, e);
	}
	strbuf_release(&x);
	strbuf_release(&h);
	strbuf_release(&v);
	return ret;
}

static void from_table(strbuf *out, const replica_table *t)
{
	if (t->only)
		strbuf_adds(out, "ONLY ");
	pg_quote_qualified(out, t->t->schema, t->t->name);
}

/* A row `alias` of table `t` is among the table's own draw. SYSTEM reads
 * only the sampled pages of a big table; BERNOULLI draws rows, which a
 * table of few pages needs. The draw is a hashed set of row addresses:
 * REPEATABLE with one seed gives the same rows each time it is asked in
 * one snapshot. */
static void own_draw(strbuf *out, const replica_job *job,
		     const replica_table *t, const char *alias, unsigned seed)
{
	strbuf_addf(out,
		    "(%s.tableoid, %s.ctid) IN (SELECT tableoid, ctid FROM ",
		    alias, alias);
	from_table(out, t);
	strbuf_addf(out, " TABLESAMPLE %s (%d) REPEATABLE (%u))",
		    t->source_bytes > 80LL * 1024 * 1024 ? "SYSTEM"
							 : "BERNOULLI",
		    job->sample_pct, seed);
}

/*
 * The condition a row `alias` of table `ti` meets to be kept: its own
 * draw, or a reference from a kept row of a table that points at it,
 * `(a.key) IN (SELECT fk FROM kept_<child>)`. Each referencing table's
 * kept rows are a MATERIALIZED common table expression (`ctes`), defined
 * once, children first: a sublink in a correlated EXISTS would be run
 * once per row, an uncorrelated IN over a CTE is one hashed set. The
 * recursion ends because every table on a cycle of foreign keys is kept
 * whole (replica/replica.c), and a whole table needs no CTE.
 */
static void keep_cond(strbuf *out, strbuf *ctes, char *defined,
		      const replica_job *job, int ti, const char *alias,
		      unsigned seed)
{
	const replica_table *t = &job->tables[ti];
	strbuf_adds(out, "(");
	own_draw(out, job, t, alias, seed);
	for (int r = 0; r < t->nrefs; r++) {
		const replica_ref *ref = &t->refs[r];
		const replica_table *c = &job->tables[ref->child];
		if (ref->child == ti)
			continue;
		if (!c->whole && !defined[ref->child]) {
			/* Children first, so that this CTE may name theirs. */
			strbuf cond = STRBUF_INIT;
			keep_cond(&cond, ctes, defined, job, ref->child, "k",
				  seed);
			defined[ref->child] = 1;
			strbuf_addf(ctes,
				    "%skept_%d AS MATERIALIZED (SELECT * FROM ",
				    ctes->len ? ", " : "WITH ", ref->child);
			from_table(ctes, c);
			strbuf_addf(ctes, " k WHERE %s)", cond.buf);
			strbuf_release(&cond);
		}
		strbuf_adds(out, " OR (");
		for (int k = 0; k < ref->ncols; k++) {
			strbuf_addf(out, "%s%s.", k ? ", " : "", alias);
			pg_quote_ident(out, ref->ref_cols[k]);
		}
		strbuf_adds(out, ") IN (SELECT ");
		for (int k = 0; k < ref->ncols; k++) {
			strbuf_adds(out, k ? ", " : "");
			pg_quote_ident(out, ref->cols[k]);
		}
		strbuf_adds(out, " FROM ");
		if (c->whole)
			from_table(out, c);
		else
			strbuf_addf(out, "kept_%d", ref->child);
		strbuf_adds(out, ")");
	}
	strbuf_adds(out, ")");
}

int pg_replica_copy_out_sql(strbuf *out, replica_job *job, int ti,
			    unsigned seed, error *e)
{
	replica_table *t = &job->tables[ti];
	strbuf cond = STRBUF_INIT, ctes = STRBUF_INIT;
	char *defined = calloc((size_t)job->ntables + 1, 1);
	if (!t->whole && job->sample_pct < 100)
		keep_cond(&cond, &ctes, defined, job, ti, "a", seed);
	free(defined);
	strbuf_addf(out, "COPY (%s%sSELECT ", ctes.buf ? ctes.buf : "",
		    ctes.len ? " " : "");
	int ret = 0;
	for (int i = 0; i < t->ncols && !ret; i++) {
		if (i)
			strbuf_adds(out, ", ");
		ret = pg_replica_mask_sql(out, t, &t->cols[i], "a", e);
	}
	if (!t->ncols)
		strbuf_adds(out, "1");
	strbuf_adds(out, " FROM ");
	from_table(out, t);
	strbuf_adds(out, " a");
	if (cond.len)
		strbuf_addf(out, " WHERE %s", cond.buf);
	strbuf_adds(out, ") TO STDOUT");
	strbuf_release(&cond);
	strbuf_release(&ctes);
	return ret;
}

void pg_replica_copy_in_sql(strbuf *out, const replica_table *t)
{
	strbuf_adds(out, "COPY ");
	pg_quote_qualified(out, t->t->schema, t->t->name);
	strbuf_adds(out, " (");
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			strbuf_adds(out, ", ");
		pg_quote_ident(out, t->cols[i].col->name);
	}
	strbuf_adds(out, ") FROM STDIN");
}
