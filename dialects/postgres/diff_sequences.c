/*
 * Sequences: created with their options, altered in place, OWNED BY set
 * once the owning column exists, dropped after what uses them.
 */
#include "pg.h"

#include <inttypes.h>
#include <string.h>

#include "diff_internal.h"

static void seq_options(strbuf *sb, const m_sequence *s)
{
	strbuf_addf(sb,
		    " AS %s INCREMENT BY %" PRId64 " MINVALUE %" PRId64
		    " MAXVALUE %" PRId64 " START WITH %" PRId64
		    " CACHE %" PRId64 " %s",
		    s->type ? s->type : "bigint", s->increment, s->min, s->max,
		    s->start, s->cache, s->cycle ? "CYCLE" : "NO CYCLE");
}

static void seq_owned_by(diff_ctx *c, const m_sequence *s, int phase)
{
	const char *q = diff_qname(c, s->schema, s->name);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER SEQUENCE %s OWNED BY ", q);
	if (s->owner.schema && s->owner_column) {
		pg_quote_qualified(&sb, s->owner.schema, s->owner.name);
		strbuf_addch(&sb, '.');
		pg_quote_ident(&sb, s->owner_column);
	} else {
		strbuf_adds(&sb, "NONE");
	}
	diff_on(
	    diff_emit(c, phase, PGC_ALTER_SEQUENCE_OWNER, q, strbuf_str(&sb)),
	    0, s->schema, NULL, s->name, NULL);
	strbuf_release(&sb);
}

/* Dropping a table or an owning column drops its sequence too. */
static bool owner_goes(diff_ctx *c, const m_sequence *s)
{
	if (!s->owner.schema)
		return false;
	return !model_find_table(c->to, s->owner.schema, s->owner.name) ||
	       diff_set_has(&c->cols,
			    diff_key3(c, "col", s->owner.schema, s->owner.name,
				      s->owner_column));
}

int diff_sequences(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->nsequences, t->nsequences,
	    diff_cmp_qualified(f->sequences[i_].schema, f->sequences[i_].name,
			       t->sequences[j_].schema, t->sequences[j_].name),
	    {
		    const m_sequence *s = &f->sequences[i_];
		    if (!owner_goes(c, s)) {
			    const char *q = diff_qname(c, s->schema, s->name);
			    diff_item *it = diff_on(
				diff_emit(c, PH_DROP_SEQUENCE,
					  CHANGE_DROP_SEQUENCE, q,
					  arena_sprintf(&c->arena,
							"DROP SEQUENCE %s", q)),
				0, s->schema, NULL, s->name, NULL);
			    it->destructive = true;
			    diff_provide(
				c, it, diff_key(c, "predrop", NULL, s->schema));
		    }
	    },
	    {
		    const m_sequence *s = &t->sequences[j_];
		    const char *q = diff_qname(c, s->schema, s->name);
		    strbuf sb = STRBUF_INIT;
		    strbuf_addf(&sb, "CREATE SEQUENCE %s", q);
		    seq_options(&sb, s);
		    diff_item *it =
			diff_on(diff_emit(c, PH_TYPE, CHANGE_CREATE_SEQUENCE, q,
					  strbuf_str(&sb)),
				0, s->schema, NULL, s->name, NULL);
		    diff_need(c, it, diff_key(c, "schema", NULL, s->schema));
		    strbuf_release(&sb);
		    if (s->owner.schema)
			    seq_owned_by(c, s, PH_OWNED_BY);
		    diff_on(
			diff_type_comment(c, "SEQUENCE", q, NULL, s->comment),
			CHANGE_OBJ_SEQUENCE, s->schema, NULL, s->name, NULL);
	    },
	    {
		    const m_sequence *a = &f->sequences[i_];
		    const m_sequence *b = &t->sequences[j_];
		    const char *q = diff_qname(c, b->schema, b->name);
		    if (!diff_streq(a->type, b->type) ||
			a->increment != b->increment || a->min != b->min ||
			a->max != b->max || a->start != b->start ||
			a->cache != b->cache || a->cycle != b->cycle) {
			    strbuf sb = STRBUF_INIT;
			    /* ALTER SEQUENCE refuses a range that leaves
			     * out the current value: move it inside the
			     * new range first. */
			    if (b->min > a->min || b->max < a->max) {
				    strbuf_adds(&sb,
						"SELECT pg_catalog.setval(");
				    pg_quote_literal(&sb, q);
				    strbuf_addf(&sb,
						", GREATEST(LEAST(last_value, "
						"%" PRId64 "), %" PRId64
						"), is_called) FROM %s",
						b->max, b->min, q);
				    diff_on(diff_emit(c, PH_TYPE,
						      PGC_SET_SEQUENCE_VALUE, q,
						      strbuf_str(&sb)),
					    0, b->schema, NULL, b->name, NULL);
				    strbuf_reset(&sb);
			    }
			    strbuf_addf(&sb, "ALTER SEQUENCE %s", q);
			    seq_options(&sb, b);
			    diff_on(diff_emit(c, PH_TYPE, CHANGE_ALTER_SEQUENCE,
					      q, strbuf_str(&sb)),
				    0, b->schema, NULL, b->name, NULL);
			    strbuf_release(&sb);
		    }
		    bool same_owner =
			diff_streq(a->owner.schema, b->owner.schema) &&
			diff_streq(a->owner.name, b->owner.name) &&
			diff_streq(a->owner_column, b->owner_column);
		    /* Release the sequence before its owning column or
		     * table is dropped, or it would go with them. */
		    if (owner_goes(c, a)) {
			    seq_owned_by(c,
					 &(m_sequence){.schema = a->schema,
						       .name = a->name},
					 PH_DROP_TRIGGER);
			    same_owner = !b->owner.schema;
		    }
		    if (!same_owner)
			    seq_owned_by(c, b, PH_OWNED_BY);
		    diff_on(diff_type_comment(c, "SEQUENCE", q, a->comment,
					      b->comment),
			    CHANGE_OBJ_SEQUENCE, b->schema, NULL, b->name,
			    NULL);
	    });
	return 0;
}
