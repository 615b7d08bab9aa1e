/*
 * genschema: print a realistic PostgreSQL schema for the benchmark.
 *
 *   genschema N SEED [--changed]
 *
 * Prints N tables spread over a few schemas, 20 enum types, defaults,
 * serial and identity columns, primary keys, unique, check and foreign key
 * constraints, plain, multi-column, partial and expression indexes,
 * comments and about N/20 views.  With --changed it prints the same schema
 * (same seed) after realistic changes to about 5% of the tables, and a
 * summary of those changes on stderr.
 *
 * The whole schema is first built in memory from one random stream, then
 * (for --changed) mutated from a second stream, then printed: so the base
 * and the changed schema share everything the changes do not touch, and
 * output depends on N and SEED only.  Standalone: libc only.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXCOLS 24
#define MAXCHK	8
#define MAXUNQ	3
#define MAXIDX	6
#define MAXFK	4
#define NAMELEN 64

enum type {
	T_INT,
	T_BIGINT,
	T_TEXT,
	T_VARCHAR,
	T_NUMERIC,
	T_TSTZ,
	T_BOOL,
	T_JSONB,
	T_UUID,
	T_ENUM,
};

/* How the key column "id" gets its values. */
enum ident { ID_NONE, ID_SERIAL, ID_ALWAYS, ID_BY_DEFAULT, ID_UUID };

struct col {
	char name[NAMELEN];
	enum type type;
	int len, prec, scale, en;
	int notnull;
	int def;   /* 0 none, 1 type-specific constant or now() */
	int ident; /* enum ident, key column only */
	int is_fk, pinned, dropped, added, comment;
};

struct check {
	char name[NAMELEN];
	int kind; /* 0 c >= 0, 1 char_length(c) <= len, 2 c2 > c1 */
	int c1, c2;
	int inl; /* written as a column constraint */
	int dropped, added;
};

struct uniq {
	char name[NAMELEN];
	int c[2], nc;
	int dropped;
};

struct index {
	char name[NAMELEN];
	int kind; /* 0 plain, 1 multi, 2 partial, 3 lower(), 4 jsonb ->>, 5 gin
		   */
	int unique;
	int c[3], nc;
	int wcol; /* partial: predicate column, -1 none */
	int dropped, added;
};

struct fk {
	char name[NAMELEN];
	int col, parent, on_delete, alter, added;
};

struct table {
	int schema, noun;
	char name[NAMELEN];
	struct col cols[MAXCOLS];
	int ncols;
	int pk[2], npk, pk_inline;
	struct check chk[MAXCHK];
	int nchk;
	struct uniq unq[MAXUNQ];
	int nunq;
	struct index idx[MAXIDX];
	int nidx;
	struct fk fk[MAXFK];
	int nfk;
	int comment, link, dropped, added, nchildren, nviews;
};

struct view {
	int table, fk; /* fk: index into the table's fks to join, or -1 */
	int cols[6], ncols;
	int where; /* -1 none, else a boolean/timestamptz column */
	int changed;
};

static const char *schemas[] = {"public", "app", "billing", "audit"};
#define NSCHEMAS 4

static const char *nouns[] = {
    "account",	"customer",	"orders",	"invoice",    "payment",
    "product",	"shipment",	"address",	"ticket",     "event",
    "session",	"subscription", "plan",		"coupon",     "review",
    "category", "vendor",	"warehouse",	"stock",      "transfer",
    "refund",	"message",	"notification", "device",     "report",
    "project",	"task",		"note",		"attachment", "tag",
    "ledger",	"audit_entry",	"employee",	"department", "contract",
    "lead",	"campaign",	"visit",	"license",    "api_token",
};
#define NNOUNS (int)(sizeof nouns / sizeof nouns[0])

static const char *enum_names[] = {
    "order_status",   "payment_state",	"ticket_priority", "user_role",
    "shipment_stage", "plan_tier",	"event_kind",	   "device_type",
    "task_state",     "review_rating",	"currency_code",   "channel",
    "visibility",     "approval_state", "contract_kind",   "lead_source",
    "stock_reason",   "refund_reason",	"report_format",   "severity",
};
#define NENUMS 20

static const char *enum_pool[] = {
    "pending", "active",  "done",     "failed",	  "cancelled", "archived",
    "draft",   "review",  "approved", "rejected", "low",       "medium",
    "high",    "urgent",  "email",    "sms",	  "web",       "mobile",
    "public",  "private", "internal", "other",
};
#define NPOOL (int)(sizeof enum_pool / sizeof enum_pool[0])

struct colword {
	const char *name;
	enum type type;
	int len; /* varchar length or numeric precision */
	int scale;
};

static const struct colword colwords[] = {
    {"name", T_TEXT, 0, 0},	      {"title", T_VARCHAR, 200, 0},
    {"description", T_TEXT, 0, 0},    {"email", T_VARCHAR, 255, 0},
    {"code", T_VARCHAR, 50, 0},	      {"slug", T_VARCHAR, 50, 0},
    {"reference", T_VARCHAR, 50, 0},  {"label", T_VARCHAR, 50, 0},
    {"city", T_VARCHAR, 100, 0},      {"country", T_VARCHAR, 2, 0},
    {"phone", T_VARCHAR, 32, 0},      {"url", T_TEXT, 0, 0},
    {"sku", T_VARCHAR, 50, 0},	      {"summary", T_TEXT, 0, 0},
    {"quantity", T_INT, 0, 0},	      {"position", T_INT, 0, 0},
    {"priority", T_INT, 0, 0},	      {"attempts", T_INT, 0, 0},
    {"version", T_INT, 0, 0},	      {"score", T_INT, 0, 0},
    {"amount_cents", T_BIGINT, 0, 0}, {"size_bytes", T_BIGINT, 0, 0},
    {"views", T_BIGINT, 0, 0},	      {"price", T_NUMERIC, 10, 2},
    {"rate", T_NUMERIC, 8, 4},	      {"weight", T_NUMERIC, 12, 3},
    {"balance", T_NUMERIC, 14, 2},    {"discount", T_NUMERIC, 5, 2},
    {"updated_at", T_TSTZ, 0, 0},     {"deleted_at", T_TSTZ, 0, 0},
    {"starts_at", T_TSTZ, 0, 0},      {"ends_at", T_TSTZ, 0, 0},
    {"paid_at", T_TSTZ, 0, 0},	      {"active", T_BOOL, 0, 0},
    {"archived", T_BOOL, 0, 0},	      {"verified", T_BOOL, 0, 0},
    {"is_public", T_BOOL, 0, 0},      {"metadata", T_JSONB, 0, 0},
    {"payload", T_JSONB, 0, 0},	      {"settings", T_JSONB, 0, 0},
    {"public_id", T_UUID, 0, 0},      {"correlation_id", T_UUID, 0, 0},
    {"status", T_ENUM, 0, 0},	      {"kind", T_ENUM, 0, 0},
    {"stage", T_ENUM, 0, 0},
};
#define NCOLWORDS (int)(sizeof colwords / sizeof colwords[0])

/* Names for columns added by --changed, never used by the base schema. */
static const struct colword addwords[] = {
    {"external_ref", T_VARCHAR, 64, 0}, {"notes", T_TEXT, 0, 0},
    {"retry_count", T_INT, 0, 0},	{"archived_at", T_TSTZ, 0, 0},
    {"is_locked", T_BOOL, 0, 0},	{"extra", T_JSONB, 0, 0},
    {"fee", T_NUMERIC, 10, 2},		{"trace_id", T_UUID, 0, 0},
};
#define NADDWORDS (int)(sizeof addwords / sizeof addwords[0])

static struct table *tables;
static int ntables;
static struct view *views;
static int nviews;
static int enum_vals[NENUMS][8], enum_nvals[NENUMS];
static uint64_t rng_state;

/* splitmix64: tiny, good enough, and identical on every platform. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rn(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int chance(int percent)
{
	return rn(100) < percent;
}

static void fmt(char *dst, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(dst, NAMELEN, f, ap);
	va_end(ap);
}

static int find_col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return i;
	return -1;
}

/* Index, constraint and table names share one namespace per schema; every
 * name starts with its (unique) table name and ends in a kind suffix, so a
 * clash can only happen inside one table: check there. */
static int name_taken(const struct table *t, const char *name)
{
	for (int i = 0; i < t->nidx; i++)
		if (!strcmp(t->idx[i].name, name))
			return 1;
	for (int i = 0; i < t->nunq; i++)
		if (!strcmp(t->unq[i].name, name))
			return 1;
	for (int i = 0; i < t->nchk; i++)
		if (!strcmp(t->chk[i].name, name))
			return 1;
	for (int i = 0; i < t->nfk; i++)
		if (!strcmp(t->fk[i].name, name))
			return 1;
	return 0;
}

static struct col *add_col(struct table *t, const char *name, enum type type,
			   int len, int scale)
{
	struct col *c = &t->cols[t->ncols++];
	memset(c, 0, sizeof *c);
	fmt(c->name, "%s", name);
	c->type = type;
	if (type == T_VARCHAR)
		c->len = len;
	if (type == T_NUMERIC) {
		c->prec = len;
		c->scale = scale;
	}
	if (type == T_ENUM)
		c->en = rn(NENUMS);
	return c;
}

static enum type key_type(const struct table *p)
{
	const struct col *k = &p->cols[p->pk[0]];
	return k->type;
}

static int add_fk(struct table *t, int self, int parent, int added)
{
	struct table *p = &tables[parent];
	char cname[NAMELEN];
	fmt(cname, "%s_id", p->name);
	if (t->nfk >= MAXFK || t->ncols >= MAXCOLS || find_col(t, cname) >= 0)
		return -1;
	struct col *c = add_col(t, cname, key_type(p), 0, 0);
	c->is_fk = 1;
	c->added = added;
	c->notnull = chance(60);
	struct fk *f = &t->fk[t->nfk++];
	memset(f, 0, sizeof *f);
	f->col = t->ncols - 1;
	f->parent = parent;
	f->on_delete = rn(4); /* none, cascade, set null, restrict */
	if (f->on_delete == 2 && c->notnull)
		f->on_delete = 1;
	f->alter = (self % 3 == 0);
	f->added = added;
	fmt(f->name, "%s_%s_fkey", t->name, cname);
	p->nchildren++;
	return 0;
}

static void add_check(struct table *t, int kind, int c1, int c2, int added)
{
	char name[NAMELEN];
	if (t->nchk >= MAXCHK)
		return;
	if (kind == 2)
		fmt(name, "%s_%s_after_check", t->name, t->cols[c2].name);
	else
		fmt(name, "%s_%s_check", t->name, t->cols[c1].name);
	if (name_taken(t, name))
		return;
	struct check *k = &t->chk[t->nchk++];
	memset(k, 0, sizeof *k);
	memcpy(k->name, name, NAMELEN);
	k->kind = kind;
	k->c1 = c1;
	k->c2 = c2;
	k->inl = (kind != 2 && chance(50));
	k->added = added;
}

/* Pick a column of one of the given types that is still there, or -1. */
static int pick_col(const struct table *t, unsigned typemask, int need_free)
{
	int cand[MAXCOLS], n = 0;
	for (int i = 0; i < t->ncols; i++) {
		const struct col *c = &t->cols[i];
		if (c->dropped || c->ident || c->is_fk)
			continue;
		if (need_free && c->pinned)
			continue;
		if (typemask & (1u << c->type))
			cand[n++] = i;
	}
	return n ? cand[rn(n)] : -1;
}

#define M(t)	  (1u << (t))
#define M_TEXTISH (M(T_TEXT) | M(T_VARCHAR))
#define M_ANY	  0xffffu

static int add_index(struct table *t, int kind, int added)
{
	struct index x;
	memset(&x, 0, sizeof x);
	x.kind = kind;
	x.wcol = -1;
	x.added = added;
	switch (kind) {
	case 0: /* plain, on a foreign key column when there is one */
		if (t->nfk)
			x.c[0] = t->fk[rn(t->nfk)].col;
		else if ((x.c[0] = pick_col(t, M_ANY & ~M(T_JSONB), 0)) < 0)
			return -1;
		x.nc = 1;
		break;
	case 1: /* multi-column */
		x.c[0] = t->nfk ? t->fk[rn(t->nfk)].col
				: pick_col(t, M_ANY & ~M(T_JSONB), 0);
		x.c[1] = pick_col(t, M(T_TSTZ) | M(T_ENUM) | M(T_INT), 0);
		if (x.c[0] < 0 || x.c[1] < 0 || x.c[0] == x.c[1])
			return -1;
		x.nc = 2;
		break;
	case 2: /* partial */
		x.c[0] = pick_col(t, M_ANY & ~M(T_JSONB) & ~M(T_BOOL), 0);
		x.wcol = pick_col(t, M(T_BOOL) | M(T_TSTZ), 0);
		if (x.c[0] < 0 || x.wcol < 0 || x.wcol == x.c[0])
			return -1;
		x.nc = 1;
		x.unique = (t->cols[x.c[0]].type == T_UUID);
		break;
	case 3: /* lower(text) */
		if ((x.c[0] = pick_col(t, M_TEXTISH, 0)) < 0)
			return -1;
		x.nc = 1;
		x.unique = chance(30);
		break;
	case 4: /* (jsonb ->> 'key') */
	case 5: /* gin (jsonb) */
		if ((x.c[0] = pick_col(t, M(T_JSONB), 0)) < 0)
			return -1;
		x.nc = 1;
		break;
	}
	const char *suffix[] = {"idx",	     "idx",	"partial_idx",
				"lower_idx", "key_idx", "gin_idx"};
	if (x.nc == 2)
		fmt(x.name, "%s_%s_%s_idx", t->name, t->cols[x.c[0]].name,
		    t->cols[x.c[1]].name);
	else
		fmt(x.name, "%s_%s_%s", t->name, t->cols[x.c[0]].name,
		    suffix[kind]);
	if (strlen(x.name) >= NAMELEN - 1 || name_taken(t, x.name) ||
	    t->nidx >= MAXIDX)
		return -1;
	t->idx[t->nidx++] = x;
	return 0;
}

static void gen_table(int i, int is_new)
{
	struct table *t = &tables[i];
	memset(t, 0, sizeof *t);
	t->schema = rn(NSCHEMAS);
	t->noun = rn(NNOUNS);
	t->added = is_new;
	fmt(t->name, "%s_%d", nouns[t->noun], i);
	int want = 5 + rn(11);

	/* A few link tables: two foreign keys form the primary key. */
	if (i >= 10 && chance(5)) {
		for (int k = 0; k < 2; k++) {
			int p = rn(i);
			if (!tables[p].link && !tables[p].dropped)
				add_fk(t, i, p, is_new);
		}
		if (t->nfk == 2) {
			t->link = 1;
			t->npk = 2;
			t->pk[0] = t->fk[0].col;
			t->pk[1] = t->fk[1].col;
			t->cols[0].notnull = t->cols[1].notnull = 1;
			t->fk[0].on_delete = t->fk[1].on_delete = 1;
		}
	}
	if (!t->link) {
		/* Undo a half-built link table. */
		for (int k = 0; k < t->nfk; k++)
			tables[t->fk[k].parent].nchildren--;
		t->nfk = t->ncols = 0;
		int kind = 1 + rn(4);
		struct col *c = add_col(t, "id",
					kind == ID_UUID ? T_UUID
					: kind == ID_SERIAL
					    ? (chance(50) ? T_INT : T_BIGINT)
					: kind == ID_BY_DEFAULT ? T_INT
								: T_BIGINT,
					0, 0);
		c->ident = kind;
		c->notnull = 1;
		t->npk = 1;
		t->pk[0] = 0;
		t->pk_inline = chance(50);
		int nfk = i ? rn(3) : 0;
		for (int k = 0; k < nfk; k++) {
			int p = i > 300 ? i - 1 - rn(300) : rn(i);
			if (!tables[p].link && !tables[p].dropped)
				add_fk(t, i, p, is_new);
		}
		if (chance(70)) {
			c = add_col(t, "created_at", T_TSTZ, 0, 0);
			c->notnull = 1;
			c->def = 1;
		}
	}
	while (t->ncols < want) {
		const struct colword *w = &colwords[rn(NCOLWORDS)];
		if (find_col(t, w->name) >= 0)
			continue;
		struct col *c = add_col(t, w->name, w->type, w->len, w->scale);
		c->notnull = chance(40);
		c->def = chance(30);
		if (c->type == T_BOOL)
			c->notnull = c->def = 1;
		c->comment = chance(8);
	}
	for (int k = 0; k < t->ncols; k++)
		t->cols[k].added = is_new;

	/* Checks: non-negative numbers, bounded text, ordered time ranges. */
	for (int k = 0; k < t->ncols; k++) {
		struct col *c = &t->cols[k];
		if (c->ident || c->is_fk)
			continue;
		if ((c->type == T_INT || c->type == T_NUMERIC ||
		     c->type == T_BIGINT) &&
		    chance(35))
			add_check(t, 0, k, -1, is_new);
		else if (c->type == T_TEXT && chance(15))
			add_check(t, 1, k, -1, is_new);
	}
	int s = find_col(t, "starts_at"), e = find_col(t, "ends_at");
	if (s >= 0 && e >= 0)
		add_check(t, 2, s, e, is_new);

	/* Unique constraints on natural keys. */
	const char *natural[] = {"email", "code", "slug", "sku", "public_id"};
	for (int k = 0; k < 5 && t->nunq < MAXUNQ; k++) {
		int c = find_col(t, natural[k]);
		if (c < 0 || !chance(50))
			continue;
		struct uniq *u = &t->unq[t->nunq];
		u->nc = 1;
		u->c[0] = c;
		if (t->nfk && chance(30)) {
			u->c[1] = t->fk[0].col;
			u->nc = 2;
		}
		fmt(u->name, "%s_%s_key", t->name, t->cols[c].name);
		if (!name_taken(t, u->name))
			t->nunq++;
	}

	int nidx = 1 + rn(3);
	for (int tries = 0; t->nidx < nidx && tries < 12; tries++)
		add_index(t, tries < 2 && t->nfk ? 0 : rn(6), is_new);
	t->comment = chance(30);
}

static void gen_base(int n)
{
	for (int e = 0; e < NENUMS; e++) {
		int start = rn(NPOOL);
		enum_nvals[e] = 3 + rn(4);
		for (int k = 0; k < enum_nvals[e]; k++)
			enum_vals[e][k] = (start + k) % NPOOL;
	}
	for (int i = 0; i < n; i++)
		gen_table(i, 0);
	ntables = n;

	nviews = n / 20;
	for (int v = 0; v < nviews; v++) {
		struct view *w = &views[v];
		int ti;
		do
			ti = rn(n);
		while (tables[ti].link);
		struct table *t = &tables[ti];
		memset(w, 0, sizeof *w);
		w->table = ti;
		w->fk = t->nfk && chance(50) ? rn(t->nfk) : -1;
		w->where = -1;
		/* One view per table keeps view names unique. */
		if (t->nviews)
			w->table = -1;
		t->nviews++;
		w->cols[w->ncols++] = 0;
		for (int k = 0; k < 3; k++) {
			int c = pick_col(t, M_ANY & ~M(T_JSONB), 0);
			int dup = 0;
			for (int j = 0; j < w->ncols; j++)
				dup |= (w->cols[j] == c);
			if (c >= 0 && !dup)
				w->cols[w->ncols++] = c;
		}
		if (chance(50))
			w->where = pick_col(t, M(T_BOOL) | M(T_TSTZ), 0);
		for (int j = 0; j < w->ncols; j++)
			t->cols[w->cols[j]].pinned = 1;
		if (w->where >= 0)
			t->cols[w->where].pinned = 1;
		if (w->fk >= 0)
			t->cols[t->fk[w->fk].col].pinned = 1;
	}
}

/* Counters for the stderr summary of --changed. */
static int n_addcol, n_dropcol, n_alter, n_newidx, n_dropidx, n_newchk,
    n_dropchk, n_newfk, n_droptab, n_newtab, n_enum, n_view;

static void drop_col(struct table *t, int c)
{
	t->cols[c].dropped = 1;
	/* The server drops indexes and constraints that use the column. */
	for (int k = 0; k < t->nidx; k++) {
		struct index *x = &t->idx[k];
		for (int j = 0; j < x->nc; j++)
			if (x->c[j] == c)
				x->dropped = 1;
		if (x->wcol == c)
			x->dropped = 1;
	}
	for (int k = 0; k < t->nchk; k++)
		if (t->chk[k].c1 == c || t->chk[k].c2 == c)
			t->chk[k].dropped = 1;
	for (int k = 0; k < t->nunq; k++)
		for (int j = 0; j < t->unq[k].nc; j++)
			if (t->unq[k].c[j] == c)
				t->unq[k].dropped = 1;
}

static int change_table(struct table *t, int ti, int what)
{
	int c, k;
	switch (what) {
	case 0: /* add a column at the end */
		for (k = 0; k < NADDWORDS; k++) {
			const struct colword *w =
			    &addwords[(ti + k) % NADDWORDS];
			if (find_col(t, w->name) < 0 && t->ncols < MAXCOLS) {
				struct col *n = add_col(t, w->name, w->type,
							w->len, w->scale);
				n->added = 1;
				n->def =
				    (w->type == T_BOOL || w->type == T_INT);
				n->notnull = n->def;
				n_addcol++;
				return 0;
			}
		}
		return -1;
	case 1: /* drop a column */
		if ((c = pick_col(t, M_ANY, 1)) < 0)
			return -1;
		drop_col(t, c);
		n_dropcol++;
		return 0;
	case 2: /* widen a type */
		if ((c = pick_col(t, M(T_VARCHAR) | M(T_INT) | M(T_NUMERIC),
				  1)) < 0)
			return -1;
		if (t->cols[c].type == T_VARCHAR)
			t->cols[c].len *= 2;
		else if (t->cols[c].type == T_INT)
			t->cols[c].type = T_BIGINT;
		else
			t->cols[c].prec += 2;
		n_alter++;
		return 0;
	case 3: /* new index */
		for (k = 0; k < 6; k++)
			if (!add_index(t, (ti + k) % 6, 1)) {
				n_newidx++;
				return 0;
			}
		return -1;
	case 4: /* drop an index */
		for (k = 0; k < t->nidx; k++)
			if (!t->idx[k].dropped) {
				t->idx[k].dropped = 1;
				n_dropidx++;
				return 0;
			}
		return -1;
	case 5: /* new check */
		k = t->nchk;
		if ((c = pick_col(
			 t, M(T_INT) | M(T_BIGINT) | M(T_NUMERIC) | M(T_TEXT),
			 0)) >= 0)
			add_check(t, t->cols[c].type == T_TEXT ? 1 : 0, c, -1,
				  1);
		if (t->nchk == k)
			return -1;
		n_newchk++;
		return 0;
	case 6: /* remove a check */
		for (k = 0; k < t->nchk; k++)
			if (!t->chk[k].dropped) {
				t->chk[k].dropped = 1;
				n_dropchk++;
				return 0;
			}
		return -1;
	case 7: /* new foreign key on a new column */
		for (k = 0; k < 4; k++) {
			int p = rn(ti ? ti : 1);
			if (p != ti && !tables[p].link && !tables[p].dropped &&
			    !add_fk(t, ti, p, 1)) {
				n_newfk++;
				return 0;
			}
		}
		return -1;
	}
	return -1;
}

static void gen_changes(int n, uint64_t seed)
{
	rng_state = seed ^ 0x5eed5eed5eed5eedULL;
	int want = n * 5 / 100 > 8 ? n * 5 / 100 : 8;
	int done = 0, what = 0;
	char *touched = calloc((size_t)n, 1);
	for (int tries = 0; done < want && tries < want * 20; tries++) {
		int ti = rn(n);
		if (touched[ti] || tables[ti].link)
			continue;
		/* Round-robin over the kinds so each one shows up. */
		if (!change_table(&tables[ti], ti, what % 8)) {
			touched[ti] = 1;
			done++;
		}
		what++;
	}

	/* Drop tables nothing refers to. */
	int ndrop = n / 1000 > 1 ? n / 1000 : 1;
	for (int tries = 0; n_droptab < ndrop && tries < n * 4; tries++) {
		int ti = rn(n);
		struct table *t = &tables[ti];
		if (touched[ti] || t->nchildren || t->nviews || t->dropped)
			continue;
		t->dropped = 1;
		for (int k = 0; k < t->nfk; k++)
			tables[t->fk[k].parent].nchildren--;
		n_droptab++;
	}
	free(touched);

	int nnew = n / 500 > 3 ? n / 500 : 3;
	for (int k = 0; k < nnew; k++) {
		gen_table(ntables, 1);
		ntables++;
		n_newtab++;
	}

	/* New enum values go at the end, as ALTER TYPE ... ADD VALUE does. */
	for (int k = 0; k < 2; k++) {
		int e = rn(NENUMS);
		if (enum_vals[e][enum_nvals[e] - 1] != NPOOL) {
			enum_vals[e][enum_nvals[e]++] = NPOOL; /* "on_hold" */
			n_enum++;
		}
	}

	int nview = n / 1000 > 1 ? n / 1000 : 1;
	for (int tries = 0; n_view < nview && tries < 100 && nviews; tries++) {
		struct view *w = &views[rn(nviews)];
		if (w->table < 0 || w->changed)
			continue;
		struct table *t = &tables[w->table];
		int c = pick_col(t, M_ANY & ~M(T_JSONB), 0);
		int dup = 0;
		for (int j = 0; j < w->ncols; j++)
			dup |= (w->cols[j] == c);
		if (c < 0 || dup || w->ncols >= 6)
			continue;
		w->cols[w->ncols++] = c;
		t->cols[c].pinned = 1;
		w->changed = 1;
		n_view++;
	}
}

static void print_type(const struct col *c)
{
	switch (c->type) {
	case T_INT:
		printf(c->ident == ID_SERIAL ? "serial" : "integer");
		break;
	case T_BIGINT:
		printf(c->ident == ID_SERIAL ? "bigserial" : "bigint");
		break;
	case T_TEXT:
		printf("text");
		break;
	case T_VARCHAR:
		printf("varchar(%d)", c->len);
		break;
	case T_NUMERIC:
		printf("numeric(%d,%d)", c->prec, c->scale);
		break;
	case T_TSTZ:
		printf("timestamptz");
		break;
	case T_BOOL:
		printf("boolean");
		break;
	case T_JSONB:
		printf("jsonb");
		break;
	case T_UUID:
		printf("uuid");
		break;
	case T_ENUM:
		printf("%s.%s", schemas[c->en % NSCHEMAS], enum_names[c->en]);
		break;
	}
}

static const char *enum_value(int v)
{
	return v == NPOOL ? "on_hold" : enum_pool[v];
}

static void print_default(const struct col *c)
{
	switch (c->type) {
	case T_INT:
	case T_BIGINT:
	case T_NUMERIC:
		printf(" DEFAULT 0");
		break;
	case T_TEXT:
	case T_VARCHAR:
		printf(" DEFAULT ''");
		break;
	case T_TSTZ:
		printf(" DEFAULT now()");
		break;
	case T_BOOL:
		printf(" DEFAULT false");
		break;
	case T_JSONB:
		printf(" DEFAULT '{}'::jsonb");
		break;
	case T_UUID:
		printf(" DEFAULT gen_random_uuid()");
		break;
	case T_ENUM:
		printf(" DEFAULT '%s'", enum_value(enum_vals[c->en][0]));
		break;
	}
}

static void print_check_body(const struct table *t, const struct check *k)
{
	if (k->kind == 0)
		printf("CHECK (%s >= 0)", t->cols[k->c1].name);
	else if (k->kind == 1)
		printf("CHECK (char_length(%s) <= 2000)", t->cols[k->c1].name);
	else
		printf("CHECK (%s > %s)", t->cols[k->c2].name,
		       t->cols[k->c1].name);
}

static const char *on_delete[] = {"", " ON DELETE CASCADE",
				  " ON DELETE SET NULL", " ON DELETE RESTRICT"};

static void print_fk(const struct table *t, const struct fk *f)
{
	const struct table *p = &tables[f->parent];
	printf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s.%s (id)%s",
	       f->name, t->cols[f->col].name, schemas[p->schema], p->name,
	       on_delete[f->on_delete]);
}

static void print_table(int ti, int changed)
{
	const struct table *t = &tables[ti];
	const char *s = schemas[t->schema];
	int first = 1;
	printf("CREATE TABLE %s.%s (", s, t->name);
	for (int k = 0; k < t->ncols; k++) {
		const struct col *c = &t->cols[k];
		if ((c->dropped && changed) || (c->added && !changed))
			continue;
		printf("%s\n\t%s ", first ? "" : ",", c->name);
		first = 0;
		print_type(c);
		if (c->ident == ID_ALWAYS)
			printf(" GENERATED ALWAYS AS IDENTITY");
		else if (c->ident == ID_BY_DEFAULT)
			printf(" GENERATED BY DEFAULT AS IDENTITY");
		else if (c->ident == ID_UUID)
			printf(" DEFAULT gen_random_uuid()");
		else if (c->def)
			print_default(c);
		if (c->notnull && !(k == 0 && t->pk_inline))
			printf(" NOT NULL");
		if (k == 0 && t->pk_inline)
			printf(" PRIMARY KEY");
		for (int j = 0; j < t->nchk; j++) {
			const struct check *ck = &t->chk[j];
			if (ck->inl && ck->c1 == k &&
			    !(ck->dropped && changed) &&
			    (changed || !ck->added)) {
				printf(" CONSTRAINT %s ", ck->name);
				print_check_body(t, ck);
			}
		}
	}
	if (!t->pk_inline) {
		printf(",\n\tCONSTRAINT %s_pkey PRIMARY KEY (%s", t->name,
		       t->cols[t->pk[0]].name);
		if (t->npk == 2)
			printf(", %s", t->cols[t->pk[1]].name);
		printf(")");
	}
	for (int j = 0; j < t->nunq; j++) {
		const struct uniq *u = &t->unq[j];
		if (u->dropped && changed)
			continue;
		printf(",\n\tCONSTRAINT %s UNIQUE (%s", u->name,
		       t->cols[u->c[0]].name);
		if (u->nc == 2)
			printf(", %s", t->cols[u->c[1]].name);
		printf(")");
	}
	for (int j = 0; j < t->nchk; j++) {
		const struct check *ck = &t->chk[j];
		if (ck->inl || (ck->dropped && changed) ||
		    (ck->added && !changed))
			continue;
		printf(",\n\tCONSTRAINT %s ", ck->name);
		print_check_body(t, ck);
	}
	for (int j = 0; j < t->nfk; j++) {
		const struct fk *f = &t->fk[j];
		if (f->alter || (f->added && !changed))
			continue;
		printf(",\n\t");
		print_fk(t, f);
	}
	printf("\n);\n");

	for (int j = 0; j < t->nidx; j++) {
		const struct index *x = &t->idx[j];
		if ((x->dropped && changed) || (x->added && !changed))
			continue;
		const char *c0 = t->cols[x->c[0]].name;
		printf("CREATE %sINDEX %s ON %s.%s", x->unique ? "UNIQUE " : "",
		       x->name, s, t->name);
		switch (x->kind) {
		case 0:
			printf(" (%s)", c0);
			break;
		case 1:
			printf(" (%s, %s DESC)", c0, t->cols[x->c[1]].name);
			break;
		case 2:
			printf(" (%s) WHERE ", c0);
			if (t->cols[x->wcol].type == T_BOOL)
				printf("%s", t->cols[x->wcol].name);
			else
				printf("%s IS NULL", t->cols[x->wcol].name);
			break;
		case 3:
			printf(" (lower(%s))", c0);
			break;
		case 4:
			printf(" ((%s ->> 'type'))", c0);
			break;
		case 5:
			printf(" USING gin (%s)", c0);
			break;
		}
		printf(";\n");
	}
	if (t->comment)
		printf("COMMENT ON TABLE %s.%s IS 'The %s''s records, one row "
		       "per %s.';\n",
		       s, t->name, nouns[t->noun], nouns[t->noun]);
	for (int k = 0; k < t->ncols; k++) {
		const struct col *c = &t->cols[k];
		if (c->comment && !(c->dropped && changed))
			printf("COMMENT ON COLUMN %s.%s.%s IS 'Set by the "
			       "application; see %s.';\n",
			       s, t->name, c->name, c->name);
	}
	printf("\n");
}

static void print_view(const struct view *w, int changed)
{
	const struct table *t = &tables[w->table];
	const char *s = schemas[t->schema];
	int ncols = w->ncols;
	if (w->changed && !changed)
		ncols--;
	printf("CREATE VIEW %s.v_%s AS\n  SELECT", s, t->name);
	for (int j = 0; j < ncols; j++)
		printf("%s c.%s", j ? "," : "", t->cols[w->cols[j]].name);
	if (w->fk >= 0) {
		const struct table *p = &tables[t->fk[w->fk].parent];
		printf(", p.id AS parent_id\n  FROM %s.%s c\n  JOIN %s.%s p ON "
		       "p.id = c.%s",
		       s, t->name, schemas[p->schema], p->name,
		       t->cols[t->fk[w->fk].col].name);
	} else {
		printf("\n  FROM %s.%s c", s, t->name);
	}
	if (w->where >= 0) {
		const struct col *c = &t->cols[w->where];
		if (c->type == T_BOOL)
			printf("\n  WHERE c.%s", c->name);
		else
			printf("\n  WHERE c.%s IS NULL", c->name);
	}
	printf(";\n\n");
}

static void print_schema(int changed)
{
	printf("-- generated by genschema\n\n");
	for (int k = 1; k < NSCHEMAS; k++)
		printf("CREATE SCHEMA %s;\n", schemas[k]);
	printf("\n");
	for (int e = 0; e < NENUMS; e++) {
		printf("CREATE TYPE %s.%s AS ENUM (", schemas[e % NSCHEMAS],
		       enum_names[e]);
		for (int k = 0; k < enum_nvals[e]; k++)
			printf("%s'%s'", k ? ", " : "",
			       enum_value(enum_vals[e][k]));
		printf(");\n");
	}
	printf("\n");
	for (int i = 0; i < ntables; i++) {
		const struct table *t = &tables[i];
		if ((t->dropped && changed) || (t->added && !changed))
			continue;
		print_table(i, changed);
	}
	/* pg_dump style: some foreign keys come last, as ALTER TABLE. */
	for (int i = 0; i < ntables; i++) {
		const struct table *t = &tables[i];
		if ((t->dropped && changed) || (t->added && !changed))
			continue;
		for (int j = 0; j < t->nfk; j++) {
			const struct fk *f = &t->fk[j];
			if (!f->alter || (f->added && !changed))
				continue;
			printf("ALTER TABLE ONLY %s.%s\n    ADD ",
			       schemas[t->schema], t->name);
			print_fk(t, f);
			printf(";\n");
		}
	}
	printf("\n");
	for (int v = 0; v < nviews; v++)
		if (views[v].table >= 0)
			print_view(&views[v], changed);
}

int main(int argc, char **argv)
{
	int changed = 0;
	if (argc == 4 && !strcmp(argv[3], "--changed"))
		changed = 1;
	else if (argc != 3) {
		fprintf(stderr, "usage: genschema N SEED [--changed]\n");
		return 2;
	}
	int n = atoi(argv[1]);
	uint64_t seed = strtoull(argv[2], NULL, 10);
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "genschema: N must be 1..1000000\n");
		return 2;
	}
	rng_state = seed;
	/* Room for the new tables --changed appends. */
	tables = calloc((size_t)n + (size_t)n / 500 + 4, sizeof *tables);
	views = calloc((size_t)n / 20 + 1, sizeof *views);
	if (!tables || !views) {
		fprintf(stderr, "genschema: out of memory\n");
		return 1;
	}
	gen_base(n);
	if (changed) {
		gen_changes(n, seed);
		fprintf(stderr,
			"genschema: changes: %d columns added, %d dropped, "
			"%d types widened, %d indexes added, %d dropped, "
			"%d checks added, %d dropped, %d foreign keys added, "
			"%d tables dropped, %d added, %d enum values added, "
			"%d views changed\n",
			n_addcol, n_dropcol, n_alter, n_newidx, n_dropidx,
			n_newchk, n_dropchk, n_newfk, n_droptab, n_newtab,
			n_enum, n_view);
	}
	print_schema(changed);
	free(tables);
	free(views);
	return 0;
}
