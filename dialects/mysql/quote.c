/*
 * Quoting for MySQL and MariaDB. Identifiers always go in backticks:
 * the reserved words differ between the two servers and their versions,
 * and ANSI_QUOTES may be on or off, while a backtick-quoted name means
 * the same everywhere.
 */
#include <string.h>

#include "mysql.h"

void my_quote_ident(strbuf *sb, const char *ident)
{
	strbuf_addch(sb, '`');
	for (const char *p = ident; *p; p++) {
		if (*p == '`')
			strbuf_addch(sb, '`');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '`');
}

/*
 * A backslash is an escape unless sql_mode has NO_BACKSLASH_ESCAPES, and
 * doubling it would then store two: a string holding one is written as
 * a hex literal (X'..'), which every mode reads the same.
 */
void my_quote_literal(strbuf *sb, const char *s)
{
	if (strchr(s, '\\')) {
		strbuf_adds(sb, "X'");
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			strbuf_addf(sb, "%02X", *p);
		strbuf_addch(sb, '\'');
		return;
	}
	strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			strbuf_addch(sb, '\'');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

/*
 * A text literal as SHOW CREATE TABLE and mariadb-dump write one (a
 * COMMENT, which takes no hex literal; a default): a backslash escaped,
 * which reads back right under the default sql_mode
 * (NO_BACKSLASH_ESCAPES off).
 */
void my_quote_text(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_addch(sb, *p);
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}
