#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int strbuf_read_fd(strbuf *sb, int fd)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n > 0)
			strbuf_add(sb, chunk, (size_t)n);
		else if (!n)
			return 0;
		else if (errno != EINTR)
			return -1;
	}
}

int strbuf_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	int n;
	uint32_t c, min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past Unicode are not
	 * UTF-8, whatever their bit pattern. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

void strbuf_add_comment(strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	     *p;) {
		uint32_t cp;
		int n = strbuf_utf8_decode(p, &cp);
		if (!n) {
			strbuf_addch(sb, '?');
			p++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029) {
			strbuf_addch(sb, ' ');
		} else if ((cp == '*' && p[1] == '/') ||
			   (cp == '/' && p[1] == '*')) {
			strbuf_addch(sb, (char)cp);
			strbuf_addch(sb, ' ');
		} else {
			strbuf_add(sb, p, (size_t)n);
		}
		p += n;
	}
}

void strbuf_add_markdown(strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t')
			strbuf_addch(sb, ' ');
		else if (c < 0x20 || c == 0x7f)
			continue;
		else if (strchr("\\`*_[]<>!|#~&@", c)) {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, (char)c);
		} else
			strbuf_addch(sb, (char)c);
	}
}

void strbuf_add_count(strbuf *sb, long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	if (n < 0)
		strbuf_addch(sb, '-');
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			strbuf_addch(sb, ',');
		strbuf_addch(sb, digits[i]);
	}
}
