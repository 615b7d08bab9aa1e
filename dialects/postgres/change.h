/*
 * PostgreSQL's own kinds of change and of object, numbered after the
 * neutral ones of schema/diff.h; their stable names (plans, JSON and the
 * tests use them) and what a change is about when the differ does not
 * say otherwise.
 */
#ifndef SCHEMIG_PG_CHANGE_H
#define SCHEMIG_PG_CHANGE_H

#include "../../schema/diff.h"
#include "../../schema/model.h"

/* Object kinds only PostgreSQL has (what before/after point at). */
typedef enum pg_object_kind {
	PGO_POLICY = CHANGE_OBJ_DIALECT_BASE, /* m_policy, parent m_table */
	PGO_ENUM,			      /* m_enum */
	PGO_DOMAIN,			      /* m_domain */
	PGO_DOMAIN_CONSTRAINT, /* m_constraint, parent m_domain */
	PGO_COMPOSITE,	       /* m_composite */
	PGO_ATTRIBUTE,	       /* m_column, parent m_composite */
	PGO_RANGE,	       /* m_range */
	PGO_EXTENSION,	       /* names only */
	PGO_COLLATION,	       /* names only */
	PGO_CAST,	       /* names only */
	PGO_OPERATOR,	       /* names only; sub: "left, right" types */
	PGO_OPCLASS,	       /* names only; sub: the index method */
	PGO_OPFAMILY,	       /* names only; sub: the index method */
	PGO_STATISTICS,	       /* names only */
	PGO_TS_DICT,	       /* names only */
	PGO_TS_CONFIG,	       /* names only */
	PGO_SETTING,	       /* a session setting of the script */
} pg_object_kind;

/* X(id, name, default object kind, verb, undo): see CHANGE_KINDS. */
#define PG_CHANGE_KINDS(X)                                                     \
	X(PGC_ADD_ATTRIBUTE, "add_attribute", PGO_ATTRIBUTE,                   \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ADD_DOMAIN_CHECK_NOT_VALID, "add_domain_check_not_valid",        \
	  PGO_DOMAIN_CONSTRAINT, CHANGE_VERB_ALTER, CHANGE_NONE)               \
	X(PGC_ADD_ENUM_VALUE, "add_enum_value", PGO_ENUM, CHANGE_VERB_ALTER,   \
	  CHANGE_NONE)                                                         \
	X(PGC_ADD_IDENTITY, "add_identity", CHANGE_OBJ_COLUMN,                 \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_ATTRIBUTE, "alter_attribute", PGO_ATTRIBUTE,               \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_EXTENSION, "alter_extension", PGO_EXTENSION,               \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_OPERATOR, "alter_operator", PGO_OPERATOR,                  \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_OPERATOR_FAMILY, "alter_operator_family", PGO_OPFAMILY,    \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_POLICY, "alter_policy", PGO_POLICY, CHANGE_VERB_ALTER,     \
	  CHANGE_NONE)                                                         \
	X(PGC_ALTER_REPLICA_IDENTITY, "alter_replica_identity",                \
	  CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER, CHANGE_NONE)                    \
	X(PGC_ALTER_RLS, "alter_rls", CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER,     \
	  CHANGE_NONE)                                                         \
	X(PGC_ALTER_SEQUENCE_OWNER, "alter_sequence_owner",                    \
	  CHANGE_OBJ_SEQUENCE, CHANGE_VERB_ALTER, CHANGE_NONE)                 \
	X(PGC_ALTER_STATISTICS, "alter_statistics", PGO_STATISTICS,            \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_TABLE_LOGGED, "alter_table_logged", CHANGE_OBJ_TABLE,      \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_TABLE_OPTIONS, "alter_table_options", CHANGE_OBJ_TABLE,    \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_TRIGGER, "alter_trigger", CHANGE_OBJ_TRIGGER,              \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_TS_CONFIG, "alter_ts_config", PGO_TS_CONFIG,               \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_ALTER_TS_CONFIG_REINDEX, "alter_ts_config_reindex",              \
	  PGO_TS_CONFIG, CHANGE_VERB_ALTER, CHANGE_NONE)                       \
	X(PGC_ALTER_TS_DICT, "alter_ts_dict", PGO_TS_DICT, CHANGE_VERB_ALTER,  \
	  CHANGE_NONE)                                                         \
	X(PGC_ATTACH_PARTITION, "attach_partition", CHANGE_OBJ_TABLE,          \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_CREATE_CAST, "create_cast", PGO_CAST, CHANGE_VERB_CREATE,        \
	  PGC_DROP_CAST)                                                       \
	X(PGC_CREATE_COLLATION, "create_collation", PGO_COLLATION,             \
	  CHANGE_VERB_CREATE, PGC_DROP_COLLATION)                              \
	X(PGC_CREATE_DOMAIN, "create_domain", PGO_DOMAIN, CHANGE_VERB_CREATE,  \
	  PGC_DROP_DOMAIN)                                                     \
	X(PGC_CREATE_EXTENSION, "create_extension", PGO_EXTENSION,             \
	  CHANGE_VERB_CREATE, PGC_DROP_EXTENSION)                              \
	X(PGC_CREATE_MATERIALIZED_VIEW, "create_materialized_view",            \
	  CHANGE_OBJ_VIEW, CHANGE_VERB_CREATE, CHANGE_NONE)                    \
	X(PGC_CREATE_OPERATOR, "create_operator", PGO_OPERATOR,                \
	  CHANGE_VERB_CREATE, PGC_DROP_OPERATOR)                               \
	X(PGC_CREATE_OPERATOR_CLASS, "create_operator_class", PGO_OPCLASS,     \
	  CHANGE_VERB_CREATE, PGC_DROP_OPERATOR_CLASS)                         \
	X(PGC_CREATE_OPERATOR_FAMILY, "create_operator_family", PGO_OPFAMILY,  \
	  CHANGE_VERB_CREATE, PGC_DROP_OPERATOR_FAMILY)                        \
	X(PGC_CREATE_POLICY, "create_policy", PGO_POLICY, CHANGE_VERB_CREATE,  \
	  PGC_DROP_POLICY)                                                     \
	X(PGC_CREATE_STATISTICS, "create_statistics", PGO_STATISTICS,          \
	  CHANGE_VERB_CREATE, PGC_DROP_STATISTICS)                             \
	X(PGC_CREATE_TS_CONFIG, "create_ts_config", PGO_TS_CONFIG,             \
	  CHANGE_VERB_CREATE, PGC_DROP_TS_CONFIG)                              \
	X(PGC_CREATE_TS_DICT, "create_ts_dict", PGO_TS_DICT,                   \
	  CHANGE_VERB_CREATE, PGC_DROP_TS_DICT)                                \
	X(PGC_CREATE_TYPE, "create_type", CHANGE_OBJ_NONE, CHANGE_VERB_CREATE, \
	  PGC_DROP_TYPE)                                                       \
	X(PGC_DETACH_PARTITION, "detach_partition", CHANGE_OBJ_TABLE,          \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_DROP_AGGREGATE, "drop_aggregate", CHANGE_OBJ_FUNCTION,           \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_ATTRIBUTE, "drop_attribute", PGO_ATTRIBUTE,                 \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_CAST, "drop_cast", PGO_CAST, CHANGE_VERB_DROP, CHANGE_NONE) \
	X(PGC_DROP_COLLATION, "drop_collation", PGO_COLLATION,                 \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_DOMAIN, "drop_domain", PGO_DOMAIN, CHANGE_VERB_DROP,        \
	  CHANGE_NONE)                                                         \
	X(PGC_DROP_EXPRESSION, "drop_expression", CHANGE_OBJ_COLUMN,           \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_EXTENSION, "drop_extension", PGO_EXTENSION,                 \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_IDENTITY, "drop_identity", CHANGE_OBJ_COLUMN,               \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_OPERATOR, "drop_operator", PGO_OPERATOR, CHANGE_VERB_DROP,  \
	  CHANGE_NONE)                                                         \
	X(PGC_DROP_OPERATOR_CLASS, "drop_operator_class", PGO_OPCLASS,         \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_OPERATOR_FAMILY, "drop_operator_family", PGO_OPFAMILY,      \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_POLICY, "drop_policy", PGO_POLICY, CHANGE_VERB_DROP,        \
	  CHANGE_NONE)                                                         \
	X(PGC_DROP_STATISTICS, "drop_statistics", PGO_STATISTICS,              \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_TS_CONFIG, "drop_ts_config", PGO_TS_CONFIG,                 \
	  CHANGE_VERB_DROP, CHANGE_NONE)                                       \
	X(PGC_DROP_TS_DICT, "drop_ts_dict", PGO_TS_DICT, CHANGE_VERB_DROP,     \
	  CHANGE_NONE)                                                         \
	X(PGC_DROP_TYPE, "drop_type", CHANGE_OBJ_NONE, CHANGE_VERB_DROP,       \
	  CHANGE_NONE)                                                         \
	X(PGC_ENABLE_RLS, "enable_rls", CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER,   \
	  CHANGE_NONE)                                                         \
	X(PGC_FORCE_RLS, "force_rls", CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER,     \
	  CHANGE_NONE)                                                         \
	X(PGC_INHERIT, "inherit", CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER,         \
	  CHANGE_NONE)                                                         \
	X(PGC_NO_INHERIT, "no_inherit", CHANGE_OBJ_TABLE, CHANGE_VERB_ALTER,   \
	  CHANGE_NONE)                                                         \
	X(PGC_REBUILD_TABLE, "rebuild_table", CHANGE_OBJ_TABLE,                \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_RENAME_TYPE, "rename_type", PGO_ENUM, CHANGE_VERB_ALTER,         \
	  CHANGE_NONE)                                                         \
	X(PGC_REPLACE_AGGREGATE, "replace_aggregate", CHANGE_OBJ_FUNCTION,     \
	  CHANGE_VERB_REPLACE, CHANGE_NONE)                                    \
	X(PGC_REPLACE_TS_DICT, "replace_ts_dict", PGO_TS_DICT,                 \
	  CHANGE_VERB_REPLACE, CHANGE_NONE)                                    \
	X(PGC_SET_COLUMN_OPTIONS, "set_column_options", CHANGE_OBJ_COLUMN,     \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_SET_IDENTITY, "set_identity", CHANGE_OBJ_COLUMN,                 \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_SET_IDENTITY_OPTIONS, "set_identity_options", CHANGE_OBJ_COLUMN, \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_SET_OPTION, "set_option", PGO_SETTING, CHANGE_VERB_ALTER,        \
	  CHANGE_NONE)                                                         \
	X(PGC_SET_SEQUENCE_VALUE, "set_sequence_value", CHANGE_OBJ_SEQUENCE,   \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_SET_STATISTICS, "set_statistics", CHANGE_OBJ_COLUMN,             \
	  CHANGE_VERB_ALTER, CHANGE_NONE)                                      \
	X(PGC_SET_STORAGE, "set_storage", CHANGE_OBJ_COLUMN,                   \
	  CHANGE_VERB_ALTER, CHANGE_NONE)

#define PG_CHANGE_ENUM_(id, name, obj, verb, undo) id,
typedef enum pg_change_kind {
	PGC_FIRST_ = CHANGE_DIALECT_BASE - 1,
	PG_CHANGE_KINDS(PG_CHANGE_ENUM_) PGC_END_
} pg_change_kind;
#undef PG_CHANGE_ENUM_

/* The stable name of any kind the PostgreSQL differ makes (neutral or
 * its own); NULL for a kind it does not know. The dialect's
 * change_kind_name. */
const char *pg_change_kind_name(int kind);

/* What a change of `kind` is about when the differ says nothing else. */
int pg_change_object_kind(int kind);
/* The verb of any kind, and the kind that drops what a creating kind
 * makes (CHANGE_NONE when there is none). */
int pg_change_verb(int kind);
int pg_change_undo(int kind);

/* The object `o` in model `m` (sorted), for diff_stmt.before/after;
 * both pointers NULL when it is not there or its kind has no model
 * struct to point at (PGO_* "names only"). */
change_side pg_change_find(const model *m, const change_object *o);

#endif
