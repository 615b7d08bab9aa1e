/*
 * pg_parse_tree: libpg_query's parse, bounded. Three steps each keep the
 * next one inside the parsing thread's stack:
 *
 *  1. a pre-scan over the tokens (libpg_query's scanner, a loop) turns
 *     away a statement whose longest unbroken run of tokens could make
 *     a tree deeper than libpg_query's recursive protobuf output can
 *     build (`1+1+...` nests one node per two tokens, unbounded, while
 *     the grammar caps parentheses, CASE and ARRAY at 10,000 levels);
 *  2. after the parse, a loop over the protobuf bytes measures the real
 *     depth, before protobuf-c's recursive unpack sees them;
 *  3. the unpack and the caller's walk run on the same big stack.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_tree.h"

void pg_text_position(const char *sql, int off, int *line, int *col)
{
	int l = 1, c = 1;
	for (int i = 0; i < off && sql[i]; i++) {
		if (sql[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)sql[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int too_deep(const char *sql, const char *filename, int off, int limit,
		    error *e)
{
	int line, col;
	pg_text_position(sql, off, &line, &col);
	return error_set(e, EXIT_USAGE,
			 "%s:%d:%d: expression nested too deeply (limit %d)",
			 filename, line, col, limit);
}

/*
 * Step 1. The estimate of a statement's depth is the number of tokens
 * since the last break, summed over the open parentheses, brackets and
 * CASEs. A comma, AND, OR, WHEN, THEN and ELSE break a run: what they
 * separate are siblings in the tree (the grammar flattens a AND b AND c
 * into one node). A run of tokens nests at most one node per token, so
 * a statement within the estimate's bound parses within the stack.
 */
static int prescan(const char *sql, const char *filename, int limit, long bound,
		   error *e)
{
	PgQueryScanResult r = pg_query_scan(sql);
	if (r.error) {
		/* The parse reports the syntax error, with its position. */
		pg_query_free_scan_result(r);
		return 0;
	}
	PgQuery__ScanResult *s = pg_query__scan_result__unpack(
	    NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
	pg_query_free_scan_result(r);
	if (!s)
		return 0;
	size_t cap = 64, n = 1;
	long *runs = xcalloc(cap, sizeof(*runs));
	long sum = 0;
	int ret = 0;
	for (size_t i = 0; i < s->n_tokens && !ret; i++) {
		const PgQuery__ScanToken *t = s->tokens[i];
		switch ((int)t->token) {
		case '(':
		case '[':
		case PG_QUERY__TOKEN__CASE:
			runs[n - 1]++;
			sum++;
			if (n == cap) {
				runs = xrealloc(runs, 2 * cap * sizeof(*runs));
				cap *= 2;
			}
			runs[n++] = 0;
			break;
		case ')':
		case ']':
		case PG_QUERY__TOKEN__END_P:
			if (n > 1)
				sum -= runs[--n];
			break;
		case ',':
		case PG_QUERY__TOKEN__AND:
		case PG_QUERY__TOKEN__OR:
		case PG_QUERY__TOKEN__WHEN:
		case PG_QUERY__TOKEN__THEN:
		case PG_QUERY__TOKEN__ELSE:
			sum -= runs[n - 1];
			runs[n - 1] = 0;
			break;
		case ';':
			n = 1;
			runs[0] = 0;
			sum = 0;
			break;
		default:
			runs[n - 1]++;
			sum++;
			break;
		}
		if (sum + (long)n > bound)
			ret = too_deep(sql, filename, t->start, limit, e);
	}
	free(runs);
	pg_query__scan_result__free_unpacked(s, NULL);
	return ret;
}

/* One message open in depth_check's walk: where its bytes end, and the
 * last location field read in it. */
typedef struct frame {
	const ProtobufCMessageDescriptor *d;
	size_t end;
	int32_t loc;
} frame;

static int read_varint(const uint8_t *b, size_t len, size_t *p, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64 && *p < len; shift += 7) {
		uint8_t c = b[(*p)++];
		x |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static bool is_location(const ProtobufCMessageDescriptor *d, uint32_t num)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(d, num);
	return f && (!strcmp(f->name, "location") ||
		     !strcmp(f->name, "stmt_location"));
}

/*
 * Step 2: walk the wire format with a stack of our own, counting nested
 * Node messages (one per parse-tree node). Past `limit`, the child is
 * skipped and the walk goes on only to read the location of the nearest
 * enclosing node (protobuf writes it after the children, mostly), which
 * *off receives. Returns 1 when too deep, 0 when not, -1 for unreadable
 * bytes (the unpack then reports them).
 */
static int depth_check(const uint8_t *b, size_t len, int limit, int *off)
{
	frame *st = xcalloc((size_t)limit * 4 + 8, sizeof(*st));
	size_t cap = (size_t)limit * 4 + 8, top = 0, p = 0;
	int nodes = 0, ret = 0;
	long tripped = -1; /* frame whose child was too deep */
	st[0] = (frame){&pg_query__parse_result__descriptor, len, -1};
	*off = 0;
	for (;;) {
		while (p == st[top].end) {
			if (tripped >= (long)top && st[top].loc >= 0) {
				*off = st[top].loc;
				goto out;
			}
			if (top == 0)
				goto out;
			if (st[top].d == &pg_query__node__descriptor)
				nodes--;
			top--;
		}
		uint64_t tag, v;
		if (p > st[top].end || read_varint(b, len, &p, &tag) < 0) {
			ret = -1;
			goto out;
		}
		uint32_t num = (uint32_t)(tag >> 3);
		switch (tag & 7) {
		case 0:
			if (read_varint(b, len, &p, &v) < 0) {
				ret = -1;
				goto out;
			}
			if (is_location(st[top].d, num))
				st[top].loc = (int32_t)v;
			break;
		case 1:
			p += 8;
			break;
		case 5:
			p += 4;
			break;
		case 2: {
			if (read_varint(b, len, &p, &v) < 0 || v > len - p) {
				ret = -1;
				goto out;
			}
			const ProtobufCFieldDescriptor *f =
			    protobuf_c_message_descriptor_get_field(st[top].d,
								    num);
			bool node =
			    f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
			    f->descriptor == &pg_query__node__descriptor;
			bool msg = f && f->type == PROTOBUF_C_TYPE_MESSAGE;
			if (msg && tripped < 0 && (!node || nodes < limit) &&
			    top + 1 < cap) {
				/* Descend: the child's fields come next. */
				st[++top] = (frame){f->descriptor, p + v, -1};
				nodes += node;
				break;
			}
			if (msg && tripped < 0) {
				tripped = (long)top;
				ret = 1;
			}
			p += v;
			break;
		}
		default:
			ret = -1;
			goto out;
		}
	}
out:
	free(st);
	return ret;
}

/* protobuf-c allocator over an arena: unpacking a big file makes millions
 * of small nodes, and freeing them one by one costs as much as making
 * them. The tree goes in one arena_free(). */
static void *tree_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void tree_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

typedef struct job {
	const char *sql, *filename;
	pg_tree_fn fn;
	void *arg;
	int max_depth;
	error *e;
	int ret;
} job;

static int parse_and_call(job *j)
{
	const char *sql = j->sql;
	long bound = 10L * j->max_depth;
	/* A text shorter than the bound holds no longer run of tokens. */
	if ((long)strlen(sql) > bound &&
	    prescan(sql, j->filename, j->max_depth, bound, j->e) < 0)
		return -1;
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	if (r.error) {
		/* cursorpos counts characters from 1. */
		int chars = r.error->cursorpos > 0 ? r.error->cursorpos - 1 : 0;
		int off = 0;
		for (; sql[off] && chars > 0; off++)
			if (((unsigned char)sql[off + 1] & 0xC0) != 0x80)
				chars--;
		int line, col;
		pg_text_position(sql, off, &line, &col);
		error_set(j->e, EXIT_USAGE, "%s:%d:%d: %s", j->filename, line,
			  col, r.error->message);
		pg_query_free_protobuf_parse_result(r);
		return -1;
	}
	const uint8_t *pb = (const uint8_t *)r.parse_tree.data;
	int off;
	if (depth_check(pb, r.parse_tree.len, j->max_depth, &off) == 1) {
		pg_query_free_protobuf_parse_result(r);
		return too_deep(sql, j->filename, off, j->max_depth, j->e);
	}
	arena tree_arena = ARENA_INIT;
	ProtobufCAllocator alloc = {tree_alloc, tree_free, &tree_arena};
	PgQuery__ParseResult *tree =
	    pg_query__parse_result__unpack(&alloc, r.parse_tree.len, pb);
	pg_query_free_protobuf_parse_result(r);
	int ret;
	if (!tree)
		ret = error_set(j->e, EXIT_USAGE,
				"%s: cannot read the parse tree", j->filename);
	else
		ret = j->fn(tree, &tree_arena, j->arg, j->e);
	arena_free(&tree_arena);
	return ret;
}

static void *parse_thread(void *arg)
{
	job *j = arg;
	/* libpg_query frees its per-thread memory context when the thread
	 * exits (calling pg_query_exit as well frees it twice). */
	j->ret = parse_and_call(j);
	return NULL;
}

int pg_parse_tree_with(const char *sql, const char *filename, pg_tree_fn fn,
		       void *arg, size_t stack, int max_depth, error *e)
{
	job j = {.sql = sql,
		 .filename = filename ? filename : "<input>",
		 .fn = fn,
		 .arg = arg,
		 .max_depth = max_depth,
		 .e = e};
	pthread_attr_t attr;
	pthread_t th;
	if (pthread_attr_init(&attr) != 0)
		return error_set(e, EXIT_USAGE, "%s: cannot start the parser",
				 j.filename);
	int rc = pthread_attr_setstacksize(&attr, stack);
	if (!rc)
		rc = pthread_create(&th, &attr, parse_thread, &j);
	pthread_attr_destroy(&attr);
	if (rc)
		return error_set(e, EXIT_USAGE,
				 "%s: cannot start the parser (a thread with "
				 "a %zu MiB stack): %s",
				 j.filename, stack >> 20, strerror(rc));
	pthread_join(th, NULL);
	return j.ret;
}

int pg_parse_tree(const char *sql, const char *filename, pg_tree_fn fn,
		  void *arg, error *e)
{
	return pg_parse_tree_with(sql, filename, fn, arg, PG_TREE_STACK,
				  PG_TREE_MAX_DEPTH, e);
}
