/*
 * CREATE OPERATOR, CREATE OPERATOR CLASS and the members of operator
 * classes and families in one canonical spelling, shared by the parser
 * and introspection: there is no pg_get_operatordef(), so both sides fill
 * the same parts and these functions write the statements, close to the
 * way pg_dump writes them.
 */
#ifndef SCHEMIG_PG_OPCLASS_H
#define SCHEMIG_PG_OPCLASS_H

#include <stdbool.h>

#include "../../schema/model.h"
#include "../../util/strbuf.h"

/* Names as the server prints them under an empty search_path:
 * functions unqualified in pg_catalog (regproc); commutator and negator
 * always qualified, "OPERATOR(public.>~)". NULL: not given. */
typedef struct pg_oper_parts {
	const char *schema, *name;
	const char *left, *right; /* canonical types; left NULL: prefix */
	const char *function;
	const char *commutator, *negator;
	bool merges, hashes;
} pg_oper_parts;

/* "CREATE OPERATOR public.<~ (FUNCTION = public.ci_lt, LEFTARG = text,
 * RIGHTARG = text, COMMUTATOR = OPERATOR(public.>~))". */
void pg_operator_definition(strbuf *sb, const pg_oper_parts *p);

/* "public.<~(text, text)": the operator's signature as DROP, COMMENT and
 * operator class members name it ("NONE" for a prefix one's left). */
void pg_operator_signature(strbuf *sb, const char *schema, const char *name,
			   const char *left, const char *right);

/* Fill `mb->text` (in m's arena) from the other fields; `fn_args` are a
 * function member's argument types ("text, text"), `order_family` an
 * ordering operator's sort family (qualified) or NULL. */
void pg_opmember_text(model *m, m_opmember *mb, const char *fn_args,
		      const char *order_family);

/* The canonical order: operators, then functions, by number and types. */
void pg_opmembers_sort(m_opmember *mb, int n);

/* "CREATE OPERATOR CLASS public.c [DEFAULT ]FOR TYPE t USING am FAMILY
 * public.f AS <members>[, STORAGE s]"; the members sorted before. */
void pg_opclass_definition(strbuf *sb, const m_opclass *k, bool is_default,
			   const char *type, const char *storage);

#endif
