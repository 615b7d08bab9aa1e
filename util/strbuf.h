/*
 * strbuf: a growable, always NUL-terminated byte string.
 *
 * Used everywhere text is built (SQL, messages, JSON keys). A strbuf owns
 * its buffer; strbuf_release() frees it and strbuf_detach() hands it over.
 */
#ifndef SCHEMIG_STRBUF_H
#define SCHEMIG_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
} strbuf;

#define STRBUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void strbuf_init(strbuf *sb);
void strbuf_release(strbuf *sb);
/* Hand the buffer to the caller (never NULL) and reset sb. */
char *strbuf_detach(strbuf *sb);
void strbuf_reset(strbuf *sb);
void strbuf_grow(strbuf *sb, size_t extra);
void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, char c);
/* A count with its thousands grouped, "1,204,000": row counts are read
 * by people deciding whether a lock or a wait is acceptable. */
void strbuf_add_count(strbuf *sb, long long n);
void strbuf_addf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap);
void strbuf_setlen(strbuf *sb, size_t len);
void strbuf_trim(strbuf *sb);
/* The text, "" for a buffer that never grew. */
const char *strbuf_str(const strbuf *sb);
/* Length of the valid UTF-8 sequence at `s` and its code point in *cp,
 * or 0 (overlong forms, surrogates and values past Unicode included). */
int strbuf_utf8_decode(const unsigned char *s, uint32_t *cp);
/*
 * Append `s` as text that stays on one line of any comment: SQL "--" and
 * block comments, JavaScript "//", Python and YAML "#". Every line
 * terminator of those languages (LF, CR, VT, FF, NEL, U+2028, U+2029) and
 * every other control character becomes a space, a byte that is not UTF-8
 * becomes '?', and the block-comment delimiters are split ("* /", "/ *":
 * PostgreSQL nests block comments). The one escaper for every text that
 * reaches a comment: names, reasons, notes, hazards, specs.
 */
void strbuf_add_comment(strbuf *sb, const char *s);
/*
 * Append `s` as Markdown text that renders as the same words and nothing
 * else (CommonMark, as GitHub and GitLab render comments): on one line
 * (LF, CR and tab become a space, other control characters are left
 * out), every mark that can start markup backslash-escaped (CommonMark
 * lets any ASCII punctuation be): links, images, raw HTML, entities,
 * emphasis, code, mentions, headings, strike-through and table cells.
 * Dots, dashes and parentheses stay: without '[' they start nothing
 * mid-line. The one escaper for untrusted text in Markdown (the review
 * report, a plan's markdown): names, reasons, a model's words.
 */
void strbuf_add_markdown(strbuf *sb, const char *s);
/* Read a whole file; -1 with errno set on failure. */
int strbuf_read_file(strbuf *sb, const char *path);
/* Append everything `fd` reads until end of file (EINTR retried); -1 with
 * errno set on a read error, what was read so far kept. */
int strbuf_read_fd(strbuf *sb, int fd);

#endif
