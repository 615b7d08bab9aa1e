/*
 * Replicas: a production-shaped copy of an environment's database for dry
 * runs, with personal data masked on the way (git schemig replica, and
 * ci pr for an environment whose `replica` is `schemig`).
 *
 * The core decides what is copied and how each column is masked: the
 * rules of .schemig.yml, the columns that look like personal data, the
 * foreign keys a mask must follow, the tables a sample must keep whole.
 * The dialect (dialect->replica_fill) streams the rows from the source
 * into the copy, masking them in the source's own query, so that an
 * unmasked value never reaches the copy's server or a disk here, and
 * fills the copy in one transaction, so that an interrupted copy leaves
 * nothing half-filled. The copy records the source's sizes
 * (schemig.replica_tables) for the dry run's projections.
 */
#ifndef SCHEMIG_REPLICA_H
#define SCHEMIG_REPLICA_H

#include <jansson.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../schema/diff.h"
#include "../schema/model.h"
#include "../util/error.h"

enum replica_mask {
	REPLICA_MASK_NONE = 0,	/* copied as it is: no rule, not personal */
	REPLICA_MASK_KEEP,	/* copied as it is, by a rule */
	REPLICA_MASK_NULL,	/* NULL */
	REPLICA_MASK_HASH,	/* a keyed hash, in the column's format */
	REPLICA_MASK_EMAIL,	/* a unique address at example.com */
	REPLICA_MASK_FAKE_NAME, /* a name from a fixed list, by hash */
	REPLICA_MASK_PHONE,	/* +1 555 and digits, by hash */
	REPLICA_MASK_REDACT,	/* as many x as the value had characters */
};

/* The rule's name as .schemig.yml spells it ("fake_name"). */
const char *replica_mask_name(int mask);
/* Does the mask give distinct outputs for distinct inputs (a unique
 * column stays unique)? */
bool replica_mask_unique(int mask);

typedef struct replica_column {
	const m_column *col; /* in the source model */
	int mask;	     /* enum replica_mask */
	/* Why it is masked so, for the summary: "rule at FILE:LINE",
	 * "looks like an email address (no rule)", "follows
	 * public.users.email (foreign key)". In the job's arena. */
	const char *why;
	bool in_unique; /* part of a primary key, unique key or index */
} replica_column;

/* A foreign key of `child` onto the table it belongs to (the parent):
 * how a sample keeps the rows the child's sampled rows reference. */
typedef struct replica_ref {
	int child; /* index in replica_job.tables */
	const char *const *cols, *const *ref_cols; /* child's, parent's */
	int ncols;
} replica_ref;

typedef struct replica_table {
	const m_table *t;
	replica_column *cols; /* the columns copied (no generated ones) */
	int ncols;
	replica_ref *refs; /* foreign keys onto this table */
	int nrefs;
	/* Copied whole even in a sample, and why (its foreign keys form a
	 * cycle); false with a 100 % copy too. */
	bool whole;
	const char *whole_why;
	bool only; /* FROM ONLY: it has inheritance children of its own */
	/* Filled by the dialect: the source's rows (statistics) and
	 * bytes, and the rows copied. */
	long long source_rows, source_bytes, rows;
	double ms;
} replica_table;

typedef struct replica_job {
	arena arena;
	const struct dialect *d;
	const char *source_url, *source_shown; /* resolved; redacted */
	const char *env;		       /* environment name */
	const model *source;		       /* introspected, sorted */
	const char *fingerprint;	       /* of `source` */
	diff_result schema;    /* the source's DDL, from an empty model */
	replica_table *tables; /* parents before children; partitions are
				  copied through their root */
	int ntables;
	int sample_pct; /* 1..100 */
	/* Where: target_url (the database itself); `scratch`: a new empty
	 * scratch database of schemig's own, else a database the user
	 * names, which must be empty or a copy schemig made (`refresh`
	 * replaces such a copy). */
	const char *target_url, *target_shown;
	bool scratch, refresh;
	/* A scratch target filled as a least-privileged loader: the
	 * creator's URL, for what only it may do (extensions, roles), and
	 * the loader's name. NULL otherwise. */
	const char *admin_url, *loader;
	bool progress; /* tables and rows/s on stderr */
	/* Filled by the dialect: rows and bytes copied, and wall time. */
	long long rows, bytes;
	double ms;
} replica_job;

/* What to copy, from where, to where. */
typedef struct replica_opts {
	const struct source_ctx *sc; /* dialect and the scratch server */
	const config *cfg;	     /* mask rules; every environment (guard) */
	const char *env;	     /* the environment's name */
	const char *source_url;	     /* its database, resolved */
	const char *into;	     /* a spec (URL, env:NAME), or "dev" */
	int sample_pct;
	bool refresh;
	bool progress;
} replica_opts;

/* A copy made by replica_make: where it is, and the scratch database it
 * lives in when it went to dev. */
typedef struct replica_copy replica_copy;

/*
 * Make the copy: read the source's schema, decide every column's mask
 * (errors name the rule's file:line), refuse a target that is an
 * environment's database or holds what schemig did not copy, fill it,
 * and check that its fingerprint is the source's. *summary (the caller
 * json_decref's it) says what was copied and masked, and the warnings
 * for columns that look personal but have no rule. Nothing is left on
 * the target when it fails.
 */
int replica_make(const replica_opts *o, replica_copy **out, json_t **summary,
		 error *e);
/* The copy's connection string (with the target's credentials). */
const char *replica_copy_url(const replica_copy *c);
/* Release `c`; a copy on dev (a scratch database) is dropped with it,
 * one --into a database stays. NULL is fine. */
void replica_copy_release(replica_copy *c);

/* Fill job->tables from job->source: the tables that hold rows of their
 * own, their columns (no generated ones), the foreign keys onto each,
 * parents before children, and (below 100 %) the ones a sample keeps
 * whole. job->arena owns them. */
void replica_job_tables(replica_job *job);

/*
 * Decide the masks of job->tables' columns from `cfg`'s rules and the
 * columns that look personal (replica/mask.c). Rules that name no
 * column of the source, a rule that cannot hold on its column (null on
 * NOT NULL, a non-unique mask on a unique column) and two foreign-key
 * columns masked differently are errors naming the rule. Warnings (one
 * line each) go to `warnings`.
 */
int replica_masks_decide(replica_job *job, const config *cfg, json_t *warnings,
			 error *e);

/* The text rendering of a summary. */
void replica_format_text(const json_t *summary, strbuf *out);

#endif
