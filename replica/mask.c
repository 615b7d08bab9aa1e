/*
 * Which columns a replica masks, and how (replica.h,
 * replica_masks_decide).
 *
 * Three sources decide, strongest first: a rule of .schemig.yml's mask:
 * section; a foreign key, which makes the columns it joins take one
 * mask, since the same input must give the same output in every table or
 * the keys stop matching; and the column's name and type, which flag
 * what looks like personal data. A flagged column without a rule is
 * masked anyway, with the mask of its kind, and warned about: copying
 * personal data by default would put it where it does not belong the
 * first time someone forgets a rule. `keep` copies a column as it is.
 */
#include <ctype.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/strbuf.h"
#include "replica.h"

static const char *const mask_names[] = {
    [REPLICA_MASK_NONE] = "none",   [REPLICA_MASK_KEEP] = "keep",
    [REPLICA_MASK_NULL] = "null",   [REPLICA_MASK_HASH] = "hash",
    [REPLICA_MASK_EMAIL] = "email", [REPLICA_MASK_FAKE_NAME] = "fake_name",
    [REPLICA_MASK_PHONE] = "phone", [REPLICA_MASK_REDACT] = "redact",
};

const char *replica_mask_name(int mask)
{
	return mask >= 0 && mask <= REPLICA_MASK_REDACT ? mask_names[mask]
							: "?";
}

static int mask_by_name(const char *name)
{
	for (int i = REPLICA_MASK_KEEP; i <= REPLICA_MASK_REDACT; i++)
		if (!strcmp(mask_names[i], name))
			return i;
	return -1;
}

bool replica_mask_unique(int mask)
{
	/* A phone number's seven digits and x's run out long before a
	 * table's rows do; a fake name carries 48 bits of the hash; NULLs
	 * never collide. */
	return mask == REPLICA_MASK_NONE || mask == REPLICA_MASK_KEEP ||
	       mask == REPLICA_MASK_HASH || mask == REPLICA_MASK_EMAIL ||
	       mask == REPLICA_MASK_FAKE_NAME || mask == REPLICA_MASK_NULL;
}

/* --- What looks like personal data --- */

/* Types that hold text (both dialects' spellings), where names, mail
 * addresses and numbers written as text live. */
static bool texty(const char *type)
{
	static const char *const words[] = {"char", "text", "citext", NULL};
	for (int i = 0; words[i]; i++)
		if (strstr(type, words[i]))
			return true;
	return false;
}

static bool is_inet(const char *type)
{
	return !strcmp(type, "inet") || !strcmp(type, "cidr");
}

/* Does `name` contain `word` as a whole part, between the name's ends
 * or characters that are neither letters nor digits ("billing_email",
 * "Email Address")? */
static bool has_part(const char *name, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(name, word); p; p = strstr(p + 1, word)) {
		bool start = p == name || !isalnum((unsigned char)p[-1]);
		bool end = !p[n] || !isalnum((unsigned char)p[n]);
		if (start && end)
			return true;
	}
	return false;
}

/* Tables whose plain "name" column names a person. */
static bool person_table(const char *table)
{
	static const char *const words[] = {
	    "user",    "customer", "people",  "person",	 "employee",
	    "account", "contact",  "member",  "patient", "client",
	    "author",  "staff",	   "student", NULL};
	for (int i = 0; words[i]; i++)
		if (strstr(table, words[i]))
			return true;
	return false;
}

typedef struct pii_kind {
	const char *what; /* in the warning: "looks like <what>" */
	int mask;
} pii_kind;

/*
 * The kind of personal data column `c` of `table` looks like, or NULL.
 * Names are compared lower-cased, by whole parts, so that "email" and
 * "billing_email" match and "emailed_at" (a timestamp anyway) does not.
 */
static const pii_kind *pii_guess(const char *table, const m_column *c)
{
	static const pii_kind email = {"an email address", REPLICA_MASK_EMAIL},
			      phone = {"a phone number", REPLICA_MASK_PHONE},
			      name = {"a person's name",
				      REPLICA_MASK_FAKE_NAME},
			      address = {"a postal address",
					 REPLICA_MASK_REDACT},
			      ident = {"a national identity or bank number",
				       REPLICA_MASK_HASH},
			      ip = {"an IP address", REPLICA_MASK_HASH},
			      secret = {"a secret (token or password)",
					REPLICA_MASK_HASH};
	char low[128];
	size_t i = 0;
	for (; c->name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)c->name[i]);
	low[i] = 0;

	if (is_inet(c->type))
		return &ip;
	if (!texty(c->type))
		return NULL;
	static const struct {
		const char *part;
		const pii_kind *kind;
	} parts[] = {
	    {"email", &email},	     {"e_mail", &email},
	    {"mail", &email},	     {"phone", &phone},
	    {"mobile", &phone},	     {"msisdn", &phone},
	    {"fax", &phone},	     {"ip", &ip},
	    {"ip_address", &ip},     {"ssn", &ident},
	    {"iban", &ident},	     {"passport", &ident},
	    {"tax_id", &ident},	     {"national_id", &ident},
	    {"card_number", &ident}, {"token", &secret},
	    {"password", &secret},   {"passwd", &secret},
	    {"secret", &secret},     {"api_key", &secret},
	    {"address", &address},   {"street", &address},
	    {"postcode", &address},  {"zip", &address},
	    {"first_name", &name},   {"last_name", &name},
	    {"full_name", &name},    {"given_name", &name},
	    {"family_name", &name},  {"surname", &name},
	    {"middle_name", &name},  {"firstname", &name},
	    {"lastname", &name},
	};
	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
		if (has_part(low, parts[k].part))
			return parts[k].kind;
	if (!strcmp(low, "name") && person_table(table))
		return &name;
	return NULL;
}

/* --- Rules --- */

static replica_column *find_column(replica_job *job, const char *schema,
				   const char *table, const char *column,
				   replica_table **owner)
{
	for (int i = 0; i < job->ntables; i++) {
		replica_table *t = &job->tables[i];
		if (strcmp(t->t->name, table) ||
		    (schema && strcmp(t->t->schema, schema)))
			continue;
		for (int j = 0; j < t->ncols; j++)
			if (!strcmp(t->cols[j].col->name, column)) {
				*owner = t;
				return &t->cols[j];
			}
	}
	return NULL;
}

/* "schema.table.column" or "table.column" into its parts, in `a`. */
static void split_key(arena *a, const char *key, const char **schema,
		      const char **table, const char **column)
{
	const char *d1 = strchr(key, '.'), *d2 = strchr(d1 + 1, '.');
	if (d2) {
		*schema = arena_strndup(a, key, (size_t)(d1 - key));
		*table = arena_strndup(a, d1 + 1, (size_t)(d2 - d1 - 1));
		*column = arena_strdup(a, d2 + 1);
	} else {
		*schema = NULL;
		*table = arena_strndup(a, key, (size_t)(d1 - key));
		*column = arena_strdup(a, d1 + 1);
	}
}

static int apply_rules(replica_job *job, const config *cfg, error *e)
{
	/* The file is at the repository's root: its name says where. */
	const char *file = CONFIG_FILENAME;
	for (int i = 0; i < cfg->nmasks; i++) {
		const config_mask *r = &cfg->masks[i];
		const char *schema, *table, *column;
		replica_table *t = NULL;
		split_key(&job->arena, r->column, &schema, &table, &column);
		replica_column *c = find_column(job, schema, table, column, &t);
		if (!c)
			return error_set(e, EXIT_USAGE,
					 "%s:%d: mask: %s: no such column in "
					 "%s's database (generated columns "
					 "are not copied)",
					 file, r->line, r->column, job->env);
		c->mask = mask_by_name(r->rule);
		c->why =
		    arena_sprintf(&job->arena, "rule at %s:%d", file, r->line);
		if (c->mask == REPLICA_MASK_NULL && c->col->not_null)
			return error_set(e, EXIT_USAGE,
					 "%s:%d: mask: %s is NOT NULL: null "
					 "cannot mask it (hash keeps it "
					 "unique, redact keeps its length)",
					 file, r->line, r->column);
		if (c->in_unique && !replica_mask_unique(c->mask))
			return error_set(e, EXIT_USAGE,
					 "%s:%d: mask: %s is unique and %s "
					 "gives equal values to different "
					 "rows: use hash or email",
					 file, r->line, r->column, r->rule);
	}
	return 0;
}

/* --- Foreign keys: one mask across the columns a key joins --- */

typedef struct colref {
	replica_table *t;
	replica_column *c;
} colref;

static colref lookup(replica_job *job, const char *schema, const char *table,
		     const char *column)
{
	colref r = {0};
	r.c = find_column(job, schema, table, column, &r.t);
	return r;
}

/* Is the column's mask from a rule (not followed, not guessed)? */
static bool by_rule(const replica_column *c)
{
	return c->why && !strncmp(c->why, "rule at ", 8);
}

static bool followed(const replica_column *c)
{
	return c->why && !strncmp(c->why, "follows ", 8);
}

static void qualified(strbuf *sb, const replica_table *t,
		      const replica_column *c)
{
	strbuf_addf(sb, "%s.%s.%s", t->t->schema, t->t->name, c->col->name);
}

/*
 * Make both ends of every foreign-key column pair carry one mask, until
 * nothing changes (a key may chain through several tables). Two rules
 * that disagree are an error; a rule beats a guess; a guess spreads to
 * a column with nothing.
 */
static int follow_keys(replica_job *job, error *e)
{
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int ret = 0;
	for (bool changed = true; changed && !ret;) {
		changed = false;
		for (int i = 0; i < job->ntables && !ret; i++) {
			replica_table *pt = &job->tables[i];
			for (int r = 0; r < pt->nrefs && !ret; r++) {
				const replica_ref *ref = &pt->refs[r];
				replica_table *ct = &job->tables[ref->child];
				for (int k = 0; k < ref->ncols && !ret; k++) {
					colref p = lookup(job, pt->t->schema,
							  pt->t->name,
							  ref->ref_cols[k]);
					colref c =
					    lookup(job, ct->t->schema,
						   ct->t->name, ref->cols[k]);
					if (!p.c || !c.c)
						continue;
					bool pr = by_rule(p.c),
					     cr = by_rule(c.c);
					/* Equal masks settle it, unless one
					 * side only guessed what a rule on the
					 * other decides. */
					if (p.c->mask == c.c->mask &&
					    (pr == cr || followed(p.c) ||
					     followed(c.c)))
						continue;
					strbuf_reset(&a);
					strbuf_reset(&b);
					qualified(&a, p.t, p.c);
					qualified(&b, c.t, c.c);
					if (pr && cr) {
						ret = error_set(
						    e, EXIT_USAGE,
						    "mask: %s (%s, %s) and %s "
						    "(%s, %s) are joined by a "
						    "foreign key: masked "
						    "differently they would no "
						    "longer match; give them "
						    "one rule",
						    b.buf,
						    replica_mask_name(
							c.c->mask),
						    c.c->why, a.buf,
						    replica_mask_name(
							p.c->mask),
						    p.c->why);
						break;
					}
					/* The stronger side wins: a rule, else
					 * the side that masks. */
					bool parent_wins =
					    pr ||
					    (!cr && p.c->mask > c.c->mask);
					colref *w = parent_wins ? &p : &c;
					colref *l = parent_wins ? &c : &p;
					l->c->mask = w->c->mask;
					l->c->why = arena_sprintf(
					    &job->arena,
					    "follows %s (foreign key)",
					    parent_wins ? a.buf : b.buf);
					changed = true;
				}
			}
		}
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return ret;
}

int replica_masks_decide(replica_job *job, const config *cfg, json_t *warnings,
			 error *e)
{
	if (apply_rules(job, cfg, e) < 0)
		return -1;

	/* What looks personal and has no rule: masked by its kind. */
	for (int i = 0; i < job->ntables; i++) {
		replica_table *t = &job->tables[i];
		for (int j = 0; j < t->ncols; j++) {
			replica_column *c = &t->cols[j];
			if (c->why)
				continue;
			const pii_kind *k = pii_guess(t->t->name, c->col);
			if (!k)
				continue;
			c->mask = k->mask;
			if (c->in_unique && !replica_mask_unique(c->mask))
				c->mask = REPLICA_MASK_HASH;
			c->why = arena_sprintf(
			    &job->arena, "looks like %s (no rule)", k->what);
		}
	}
	if (follow_keys(job, e) < 0)
		return -1;

	/* One warning per column masked by a guess, after the keys have
	 * spread what they spread. */
	for (int i = 0; i < job->ntables; i++) {
		replica_table *t = &job->tables[i];
		for (int j = 0; j < t->ncols; j++) {
			replica_column *c = &t->cols[j];
			if (!c->why || !strstr(c->why, "(no rule)"))
				continue;
			json_array_append_new(
			    warnings,
			    json_sprintf("%s.%s.%s %s: masked with %s; add a "
					 "mask rule for it (keep copies it as "
					 "it is)",
					 t->t->schema, t->t->name, c->col->name,
					 c->why, replica_mask_name(c->mask)));
		}
	}
	return 0;
}
