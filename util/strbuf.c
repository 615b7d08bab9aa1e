#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void strbuf_init(strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->alloc = 0;
}

void strbuf_release(strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

char *strbuf_detach(strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");
	strbuf_init(sb);
	return p;
}

void strbuf_reset(strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

void strbuf_grow(strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n *= 2;
	sb->buf = xrealloc(sb->buf, n);
	sb->alloc = n;
	if (sb->len == 0)
		sb->buf[0] = '\0';
}

void strbuf_add(strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
	/* Print into the spare room first and grow only when it was too
	 * small: most calls fit, and one pass is all they cost. */
	va_list cp;
	strbuf_grow(sb, 64);
	va_copy(cp, ap);
	int n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_setlen(strbuf *sb, size_t len)
{
	if (!sb->buf) {
		if (len == 0)
			return;
		strbuf_grow(sb, len);
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_trim(strbuf *sb)
{
	size_t start = 0;
	while (start < sb->len && isspace((unsigned char)sb->buf[start]))
		start++;
	size_t end = sb->len;
	while (end > start && isspace((unsigned char)sb->buf[end - 1]))
		end--;
	if (start > 0)
		memmove(sb->buf, sb->buf + start, end - start);
	strbuf_setlen(sb, end - start);
}

const char *strbuf_str(const strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int strbuf_read_file(strbuf *sb, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(sb, chunk, n);
	int bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		errno = saved;
		return -1;
	}
	if (!sb->buf)
		strbuf_grow(sb, 0);
	return 0;
}
