/*
 * MySQL's own kinds of change: their stable names (plans, JSON and the
 * tests use them) and what a change is about.
 */
#include "mysql.h"

static const struct {
	const char *name;
	int object;
} my_kinds[] = {
    [MYC_MODIFY_COLUMN - CHANGE_DIALECT_BASE] = {"modify_column",
						 CHANGE_OBJ_COLUMN},
    [MYC_MOVE_COLUMN -
	CHANGE_DIALECT_BASE] = {"move_column", CHANGE_OBJ_COLUMN},
    [MYC_ALTER_TABLE_OPTIONS -
	CHANGE_DIALECT_BASE] = {"alter_table_options", CHANGE_OBJ_TABLE},
    [MYC_ALTER_PARTITIONING -
	CHANGE_DIALECT_BASE] = {"alter_partitioning", CHANGE_OBJ_TABLE},
};

static bool is_my_kind(int kind)
{
	return kind >= CHANGE_DIALECT_BASE &&
	       kind < CHANGE_DIALECT_BASE +
			  (int)(sizeof(my_kinds) / sizeof(*my_kinds));
}

const char *my_change_kind_name(int kind)
{
	if (is_my_kind(kind))
		return my_kinds[kind - CHANGE_DIALECT_BASE].name;
	return change_kind_name(kind);
}

int my_change_object_kind(int kind)
{
	if (is_my_kind(kind))
		return my_kinds[kind - CHANGE_DIALECT_BASE].object;
	switch (kind) {
	case CHANGE_CREATE_TABLE:
	case CHANGE_DROP_TABLE:
		return CHANGE_OBJ_TABLE;
	case CHANGE_ADD_COLUMN:
	case CHANGE_DROP_COLUMN:
		return CHANGE_OBJ_COLUMN;
	case CHANGE_ADD_CONSTRAINT:
	case CHANGE_DROP_CONSTRAINT:
		return CHANGE_OBJ_CONSTRAINT;
	case CHANGE_CREATE_INDEX:
	case CHANGE_DROP_INDEX:
		return CHANGE_OBJ_INDEX;
	case CHANGE_CREATE_VIEW:
	case CHANGE_DROP_VIEW:
		return CHANGE_OBJ_VIEW;
	case CHANGE_CREATE_FUNCTION:
	case CHANGE_DROP_FUNCTION:
		return CHANGE_OBJ_FUNCTION;
	case CHANGE_CREATE_TRIGGER:
	case CHANGE_DROP_TRIGGER:
		return CHANGE_OBJ_TRIGGER;
	default:
		return CHANGE_OBJ_NONE;
	}
}
