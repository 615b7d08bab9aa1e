/*
 * Ordering a differ's changes, for any dialect: each change comes with a
 * phase (an int: the dialect says what its phases are and why), the keys
 * of what it provides and needs, and optionally a bracket. order_sort
 * puts them in phase order, then topologically inside each phase (ties
 * broken by generation order, so the result is deterministic), then
 * moves the brackets next to their anchors.
 */
#ifndef SCHEMIG_ORDER_H
#define SCHEMIG_ORDER_H

#include "model.h"

/*
 * Brackets. A change that must step aside only while some other changes
 * run (e.g. a trigger dropped and made again around a column's type
 * change) names their `anchor` keys in `around`: an ORDER_BEFORE item
 * goes right before the first change of any of its anchors, an
 * ORDER_AFTER item right after the last one; several at one spot keep
 * their order. What finishes a moved ORDER_AFTER item (its comments,
 * grants, indexes) follows it: an item whose `follow`, or else its
 * `object` or a dotted prefix of it ("s.v.col" follows "s.v"), names the
 * moved item's object. A bracket whose anchors have no change stays
 * where its phase put it.
 */
enum { ORDER_BEFORE = -1, ORDER_AFTER = 1 };

typedef struct order_item {
	int phase;
	int seq;	    /* generation order: the deterministic tie-break */
	const char *object; /* what it is about, a dotted name */
	M_ARRAY(const char *, provides); /* keys it makes available */
	M_ARRAY(const char *, needs);	 /* keys that must come first */
	const char *anchor;		 /* the anchor key of this change, or
					    NULL */
	M_ARRAY(const char *, around);	 /* bracket: the anchors it goes */
	int side;			 /* ORDER_BEFORE or ORDER_AFTER */
	const char *follow;		 /* object whose bracket it follows */
} order_item;

/* Put the `n` items in their final order, in place. Needs with no
 * provider in their phase are taken as met by an earlier phase or by the
 * database; a cycle is broken by generation order. */
void order_sort(order_item **items, int n);

#endif
