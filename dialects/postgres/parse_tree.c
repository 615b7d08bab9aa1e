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
	pg_tree_fn fn;	/* the whole tree goes to fn, or */
	pg_list_fn lfn; /* the statements, packed, to lfn */
	void *arg;
	int max_depth;
	error *e;
	int ret;
} job;

/* One statement kept packed: its bytes in the list's, where its text
 * starts in the whole text, and, for the last statement of a piece
 * that is not the text's last, where that piece ends. */
typedef struct stmt_ref {
	size_t off, len;
	int base;
	int piece_len; /* -1: not a piece's last statement */
} stmt_ref;

struct pg_stmt_list {
	uint8_t *bytes;
	size_t len, cap;
	stmt_ref *stmts;
	size_t n, cap_stmts;
};

/* Where a piece's parse goes: unpacked into `a` and appended to `all`
 * (the whole tree), or kept packed in `list`. */
typedef struct sink {
	arena *a;
	PgQuery__ParseResult *all;
	size_t cap;
	pg_stmt_list *list;
} sink;

static bool is_location_field(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_INT32 &&
	       f->label != PROTOBUF_C_LABEL_REPEATED &&
	       (!strcmp(f->name, "location") ||
		!strcmp(f->name, "stmt_location"));
}

/* Every location in the tree of `m` moved by `base` (-1, unknown,
 * stays). Recursive: the depth check bounded the tree, and this runs
 * on the parsing thread's stack. */
static void shift_locations(ProtobufCMessage *m, int base)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		char *member = (char *)m + f->offset;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(uint32_t *)((char *)m + f->quantifier_offset) != f->id)
			continue;
		if (is_location_field(f)) {
			int32_t *v = (int32_t *)member;
			if (*v >= 0)
				*v += base;
		} else if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
			continue;
		} else if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n =
			    *(size_t *)((char *)m + f->quantifier_offset);
			ProtobufCMessage **v = *(ProtobufCMessage ***)member;
			for (size_t k = 0; k < n; k++)
				if (v[k])
					shift_locations(v[k], base);
		} else if (*(ProtobufCMessage **)member) {
			shift_locations(*(ProtobufCMessage **)member, base);
		}
	}
}

/* A statement of a piece, made to read as one of the whole text. */
static void place_stmt(PgQuery__RawStmt *rs, int base, int piece_len)
{
	/* The last statement of a piece without a ';' runs to the piece's
	 * end, not the text's. */
	if (!rs->stmt_len && piece_len >= 0)
		rs->stmt_len = piece_len - rs->stmt_location;
	if (base)
		shift_locations(&rs->base, base);
}

static void add_tree_stmt(sink *k, PgQuery__RawStmt *rs)
{
	PgQuery__ParseResult *all = k->all;
	if (all->n_stmts == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 1024;
		PgQuery__RawStmt **v = arena_alloc(k->a, k->cap * sizeof(*v));
		if (all->n_stmts)
			memcpy(v, all->stmts, all->n_stmts * sizeof(*v));
		all->stmts = v;
	}
	all->stmts[all->n_stmts++] = rs;
}

/* The piece's statements, kept as their packed bytes: the fields
 * `stmts` of the ParseResult message. -1 for unreadable bytes. */
static int keep_stmts(pg_stmt_list *l, const uint8_t *pb, size_t len, int base,
		      int piece_len)
{
	uint32_t stmts_id = protobuf_c_message_descriptor_get_field_by_name(
				&pg_query__parse_result__descriptor, "stmts")
				->id;
	size_t p = 0, first = l->n;
	while (p < len) {
		uint64_t tag, v;
		if (read_varint(pb, len, &p, &tag) < 0)
			return -1;
		if ((tag & 7) == 0) {
			if (read_varint(pb, len, &p, &v) < 0)
				return -1;
			continue;
		}
		if ((tag & 7) != 2 || read_varint(pb, len, &p, &v) < 0 ||
		    v > len - p)
			return -1;
		if ((tag >> 3) == stmts_id) {
			if (l->n == l->cap_stmts) {
				l->cap_stmts =
				    l->cap_stmts ? 2 * l->cap_stmts : 1024;
				l->stmts = xrealloc(
				    l->stmts, l->cap_stmts * sizeof(*l->stmts));
			}
			while (l->len + v > l->cap) {
				l->cap = l->cap ? 2 * l->cap : (1 << 20);
				l->bytes = xrealloc(l->bytes, l->cap);
			}
			memcpy(l->bytes + l->len, pb + p, v);
			l->stmts[l->n++] = (stmt_ref){l->len, v, base, -1};
			l->len += v;
		}
		p += v;
	}
	if (l->n > first)
		l->stmts[l->n - 1].piece_len = piece_len;
	return 0;
}

/*
 * One text's parse, into `k`: the pre-scan, libpg_query's parse, the
 * depth check. Errors name the position in j->sql (the whole text);
 * `base` is where `text` starts in it; `piece_len` is the text's length
 * when it is a piece that does not end the whole, else -1.
 */
static int parse_piece(const job *j, const char *text, int base, int piece_len,
		       sink *k)
{
	const char *sql = j->sql;
	long bound = 10L * j->max_depth;
	/* A text shorter than the bound holds no longer run of tokens. */
	if ((long)strlen(text) > bound &&
	    prescan(text, j->filename, j->max_depth, bound, j->e) < 0)
		return -1;
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	if (r.error) {
		/* cursorpos counts characters from 1. */
		int chars = r.error->cursorpos > 0 ? r.error->cursorpos - 1 : 0;
		int off = 0;
		for (; text[off] && chars > 0; off++)
			if (((unsigned char)text[off + 1] & 0xC0) != 0x80)
				chars--;
		int line, col;
		pg_text_position(sql, base + off, &line, &col);
		error_set(j->e, EXIT_USAGE, "%s:%d:%d: %s", j->filename, line,
			  col, r.error->message);
		pg_query_free_protobuf_parse_result(r);
		return -1;
	}
	const uint8_t *pb = (const uint8_t *)r.parse_tree.data;
	size_t len = r.parse_tree.len;
	int off, ret = 0;
	if (depth_check(pb, len, j->max_depth, &off) == 1) {
		pg_query_free_protobuf_parse_result(r);
		return too_deep(sql, j->filename, base + off, j->max_depth,
				j->e);
	}
	if (k->list) {
		ret = keep_stmts(k->list, pb, len, base, piece_len);
	} else {
		ProtobufCAllocator alloc = {tree_alloc, tree_free, k->a};
		PgQuery__ParseResult *t =
		    pg_query__parse_result__unpack(&alloc, len, pb);
		if (!t)
			ret = -1;
		for (size_t i = 0; t && i < t->n_stmts; i++) {
			place_stmt(t->stmts[i], base,
				   i + 1 == t->n_stmts ? piece_len : -1);
			add_tree_stmt(k, t->stmts[i]);
		}
		if (t && !k->all->version)
			k->all->version = t->version;
	}
	pg_query_free_protobuf_parse_result(r);
	if (ret < 0)
		return error_set(j->e, EXIT_USAGE,
				 "%s: cannot read the parse tree", j->filename);
	return 0;
}

/*
 * A long text is parsed a piece at a time: libpg_query holds a whole
 * text's raw tree, its protobuf structures and their packed bytes at
 * once, and its scanner's token list (the pre-scan) as much again; a
 * piece of piece_bytes (1 MiB) keeps that small. Pieces end where the scanner's
 * statements end; the statements are the same as the whole text's,
 * their locations moved to count from the text's start.
 */
static size_t piece_bytes = (size_t)1 << 20;

void pg_parse_tree_set_piece_bytes(size_t n)
{
	piece_bytes = n ? n : (size_t)1 << 20;
}

/* 0 when the pieces went into `k`; 1 when the text is not split (short,
 * or the scanner cannot split it) or a piece fails: the caller parses
 * the whole text, whose parse reports the error as it is (a piece may
 * end inside a statement the scanner split wrongly: the semicolons of
 * a BEGIN ATOMIC body). */
static int parse_chunked(const job *j, sink *k)
{
	const char *sql = j->sql;
	size_t len = strlen(sql);
	if (len <= 2 * piece_bytes || len > INT32_MAX)
		return 1;
	PgQuerySplitResult sp = pg_query_split_with_scanner(sql);
	if (sp.error || sp.n_stmts < 2) {
		pg_query_free_split_result(sp);
		return 1;
	}
	int ret = 0;
	for (int s = 0; s < sp.n_stmts && !ret;) {
		int start = s ? sp.stmts[s]->stmt_location : 0, e = s + 1;
		while (e < sp.n_stmts && (size_t)(sp.stmts[e]->stmt_location -
						  start) < piece_bytes)
			e++;
		int end =
		    e < sp.n_stmts ? sp.stmts[e]->stmt_location : (int)len;
		char *text = xstrndup(sql + start, (size_t)(end - start));
		error pe = ERROR_INIT;
		job pj = *j;
		pj.e = &pe;
		ret = parse_piece(&pj, text, start,
				  e < sp.n_stmts ? end - start : -1, k) < 0;
		error_clear(&pe);
		free(text);
		s = e;
	}
	pg_query_free_split_result(sp);
	return ret;
}

static void list_release(pg_stmt_list *l)
{
	free(l->bytes);
	free(l->stmts);
	*l = (pg_stmt_list){0};
}

static int parse_and_call(job *j)
{
	arena tree_arena = ARENA_INIT;
	pg_stmt_list list = {0};
	sink k = {.a = &tree_arena, .list = j->lfn ? &list : NULL};
	if (!j->lfn) {
		k.all = arena_alloc(&tree_arena, sizeof(*k.all));
		pg_query__parse_result__init(k.all);
	}
	int ret = parse_chunked(j, &k);
	if (ret) {
		/* Start again from nothing: the whole text, one piece. */
		list_release(&list);
		if (k.all) {
			arena_free(&tree_arena);
			tree_arena = (arena)ARENA_INIT;
			k = (sink){
			    .a = &tree_arena,
			    .all = arena_alloc(&tree_arena, sizeof(*k.all))};
			pg_query__parse_result__init(k.all);
		}
		ret = parse_piece(j, j->sql, 0, -1, &k);
	}
	if (!ret)
		ret = j->lfn ? j->lfn(&list, j->arg, j->e)
			     : j->fn(k.all, &tree_arena, j->arg, j->e);
	list_release(&list);
	arena_free(&tree_arena);
	return ret;
}

size_t pg_stmt_list_count(const pg_stmt_list *l)
{
	return l->n;
}

static PgQuery__RawStmt *unpack_stmt(const pg_stmt_list *l, size_t i, arena *a,
				     bool place)
{
	if (i >= l->n)
		return NULL;
	const stmt_ref *r = &l->stmts[i];
	ProtobufCAllocator alloc = {tree_alloc, tree_free, a};
	PgQuery__RawStmt *rs =
	    pg_query__raw_stmt__unpack(&alloc, r->len, l->bytes + r->off);
	if (rs && place)
		place_stmt(rs, r->base, r->piece_len);
	return rs;
}

PgQuery__RawStmt *pg_stmt_list_get(const pg_stmt_list *l, size_t i, arena *a)
{
	return unpack_stmt(l, i, a, true);
}

PgQuery__RawStmt *pg_stmt_list_peek(const pg_stmt_list *l, size_t i, arena *a)
{
	return unpack_stmt(l, i, a, false);
}

static void *parse_thread(void *arg)
{
	job *j = arg;
	/* libpg_query frees its per-thread memory context when the thread
	 * exits (calling pg_query_exit as well frees it twice). */
	j->ret = parse_and_call(j);
	return NULL;
}

static int run_job(job j, size_t stack)
{
	error *e = j.e;
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

int pg_parse_tree_with(const char *sql, const char *filename, pg_tree_fn fn,
		       void *arg, size_t stack, int max_depth, error *e)
{
	return run_job((job){.sql = sql,
			     .filename = filename ? filename : "<input>",
			     .fn = fn,
			     .arg = arg,
			     .max_depth = max_depth,
			     .e = e},
		       stack);
}

int pg_parse_list(const char *sql, const char *filename, pg_list_fn fn,
		  void *arg, error *e)
{
	return run_job((job){.sql = sql,
			     .filename = filename ? filename : "<input>",
			     .lfn = fn,
			     .arg = arg,
			     .max_depth = PG_TREE_MAX_DEPTH,
			     .e = e},
		       PG_TREE_STACK);
}

int pg_parse_tree(const char *sql, const char *filename, pg_tree_fn fn,
		  void *arg, error *e)
{
	return pg_parse_tree_with(sql, filename, fn, arg, PG_TREE_STACK,
				  PG_TREE_MAX_DEPTH, e);
}
