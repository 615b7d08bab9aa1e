/*
 * Internals of the online table rebuild (plan_rebuild_online.c, the
 * steps; plan_rebuild_sql.c, the SQL they are made of). Shared by those
 * two files only.
 */
#ifndef SCHEMIG_PG_PLAN_ONLINE_H
#define SCHEMIG_PG_PLAN_ONLINE_H

#include "plan_internal.h"

#define NEW_SUFFIX   "_schemig_new"
#define ASIDE_SUFFIX "_schemig_old" /* as diff_partition.c's */
#define SEQ_SUFFIX   "_schemig_seq" /* as diff_partition.c's */

typedef struct online {
	pgp_ctx *c;
	int ri;
	const m_table *a, *b; /* old (source), new (target) */
	const char *schema;
	const m_constraint *ok;		 /* the old table's key */
	const m_constraint *nk;		 /* the new table's conflict key */
	M_ARRAY(const char *, cols);	 /* copied columns, raw */
	M_ARRAY(const char *, back);	 /* columns written back, raw */
	M_ARRAY(const m_table *, oldp);	 /* the old table and partitions */
	M_ARRAY(const m_table *, newp);	 /* the new table and partitions */
	M_ARRAY(const m_trigger *, trg); /* the old table's enabled ones */
	bool (*in_rev)(pgp_ctx *, int);	 /* a reverse statement of the group */
} online;

/* A name as it is at one moment of the swap: real, temporary, aside. */
typedef const char *(*namer)(online *, const char *);

/* plan_rebuild_sql.c; each is described where it is defined. */
bool pgo_same(const char *a, const char *b);
const char *pgo_tmp_name(online *o, const char *name);
const char *pgo_aside_name(online *o, const char *name);
const char *pgo_q(online *o, const char *name);
bool pgo_in_list(const char *const *l, int n, const char *s);
const char *pgo_names(online *o, const char *const *cols, int n,
		      const char *prefix);
bool pgo_is_new_table(online *o, const char *name);
bool pgo_has_index(const m_constraint *k);
const char *pgo_index_on_new(online *o, const diff_stmt *s);
const m_table *pgo_as_named(online *o, const m_table *t, namer to);
const char *pgo_index_renamed(online *o, const char *sql, const char *name,
			      const char *table, namer to);
const char *pgo_trigger_renamed(online *o, const m_trigger *t, namer to);
const char *pgo_statistics_renamed(online *o, const m_statistics *x, namer to);
/* An identity sequence's temporary name, or its usual one (NULL when the
 * server would shorten it). */
const char *pgo_seq_name(online *o, const char *col, bool tmp);
void pgo_sync_sql(online *o, strbuf *sb, const char *fn, const char *src,
		  const char *dst, const char *const *cols, int ncols,
		  const m_constraint *conflict);
void pgo_drop_sync_sql(online *o, strbuf *sb, const char *fn, const char *on);
const char *pgo_sync_fn(online *o);
const char *pgo_back_fn(online *o);
const char *pgo_real_name(online *o, const char *n);
void pgo_rename_family(online *o, strbuf *sb, const m_table *const *ts, int n,
		       const model *m, namer from, namer to);
void pgo_statistics(online *o, strbuf *sb, const model *m, namer from,
		    namer to);
void pgo_carry_sequences(online *o, strbuf *sb, bool forward);
void pgo_key_of(online *o, const char ***k, const char ***kt);
const char *pgo_copy_script(online *o, const char *qa, const char *qn,
			    const char *cols, int batch, int pause);
char *pgo_json_strings(online *o, const char *const *v, int n);
void pgo_old_triggers(online *o, strbuf *sb, const char *on, bool enable);

#endif
