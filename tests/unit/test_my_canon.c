/*
 * The MySQL dialect without a server: URL parsing and redaction
 * (dialects/mysql/conn.c) and the canonical spellings of types and
 * defaults (dialects/mysql/canon.c) for what a server or a file may
 * write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/conn.h"
#include "dialects/mysql/mysql.h"
#include "util/strbuf.h"

static void test_url_parse(void **state)
{
	(void)state;
	my_url u;
	error e = ERROR_INIT;
	assert_int_equal(
	    my_url_parse("mysql://us%40er:p%3Ass@w@db.example:3307/"
			 "shop%20x?socket=/run/my%20d.sock",
			 &u, &e),
	    0);
	assert_string_equal(u.user, "us@er");
	assert_string_equal(u.password, "p:ss@w");
	assert_string_equal(u.host, "db.example");
	assert_int_equal(u.port, 3307);
	assert_string_equal(u.database, "shop x");
	assert_string_equal(u.socket, "/run/my d.sock");
	my_url_release(&u);

	assert_int_equal(my_url_parse("mariadb://[::1]:3306/", &u, &e), 0);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 3306);
	assert_null(u.user);
	assert_string_equal(u.database, "");
	my_url_release(&u);

	assert_int_equal(my_url_parse("mysql://root@localhost", &u, &e), 0);
	assert_null(u.database);
	assert_null(u.password);
	my_url_release(&u);

	assert_int_equal(my_url_parse("mysql://h:99999/db", &u, &e), -1);
	assert_non_null(strstr(e.msg, "port"));
	error_clear(&e);
	assert_int_equal(my_url_parse("mysql://h/db?sslmode=x", &u, &e), -1);
	assert_non_null(strstr(e.msg, "sslmode"));
	error_clear(&e);
	assert_int_equal(my_url_parse("mysql://u:%zz@h/db", &u, &e), -1);
	assert_null(strstr(e.msg, "%zz"));
	error_clear(&e);
	assert_int_equal(my_url_parse("postgresql://h/db", &u, &e), -1);
	error_clear(&e);

	char *r = my_url_redact("mysql://app:s3cret@h:3306/db?socket=/x");
	assert_string_equal(r, "mysql://app:***@h:3306/db?socket=/x");
	free(r);
	r = my_url_redact("mariadb://app@h/db");
	assert_string_equal(r, "mariadb://app@h/db");
	free(r);
}

static void test_canon_type(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"int(11)", "int"},
	    {"INT(10) UNSIGNED", "int unsigned"},
	    {"integer", "int"},
	    {"tinyint(1)", "tinyint(1)"},
	    {"tinyint(4)", "tinyint"},
	    {"boolean", "tinyint(1)"},
	    {"bigint(20) unsigned zerofill", "bigint(20) unsigned zerofill"},
	    {"int unsigned zerofill", "int(10) unsigned zerofill"},
	    {"SMALLINT(3) ZEROFILL", "smallint(3) zerofill"},
	    {"year(4)", "year"},
	    {"DOUBLE PRECISION", "double"},
	    {"decimal(10,2)", "decimal(10,2)"},
	    {"VARCHAR(20)", "varchar(20)"},
	    {"enum('A','b''c')", "enum('A','b''c')"},
	    {"datetime(3)", "datetime(3)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		strbuf sb = STRBUF_INIT;
		my_canon_type(&sb, cases[i][0]);
		assert_string_equal(strbuf_str(&sb), cases[i][1]);
		strbuf_release(&sb);
	}
	/* MySQL's bare default values, told apart by the column type. */
	static const struct {
		const char *value, *type;
		bool expr;
		const char *want;
	} defaults[] = {
	    {"5", "int", false, "5"},
	    {"5", "varchar(10)", false, "'5'"},
	    {"it's a\\b", "text", false, "'it''s a\\\\b'"},
	    {"CURRENT_TIMESTAMP", "timestamp", true, "current_timestamp()"},
	    {"CURRENT_TIMESTAMP(3)", "datetime(3)", true,
	     "current_timestamp(3)"},
	    {"rand()", "double", true, "(rand())"},
	    {"b'101'", "bit(3)", false, "b'101'"},
	    {"2020-01-01", "date", false, "'2020-01-01'"},
	    {"0x616263", "varbinary(8)", false, "'abc'"},
	    {"0x00ff", "binary(2)", false, "X'00ff'"},
	    {"00000005", "int(8) unsigned zerofill", false, "5"},
	    {"", "varchar(5)", false, "''"},
	    {"1.5", "float", false, "1.5"},
	};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++) {
		strbuf sb = STRBUF_INIT;
		my_canon_default(&sb, defaults[i].value, defaults[i].type,
				 false, defaults[i].expr);
		assert_string_equal(strbuf_str(&sb), defaults[i].want);
		strbuf_release(&sb);
	}
}

/* MariaDB's COLUMN_DEFAULT is SQL already: kept, NULL dropped, an
 * expression in one pair of parentheses. */
static void test_mariadb_defaults(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
	    {"NULL", "int", ""},
	    {"'abc'", "varchar(5)", "'abc'"},
	    {"'NULL'", "varchar(5)", "'NULL'"},
	    {"5", "int", "5"},
	    {"-1.50", "decimal(6,2)", "-1.50"},
	    {"current_timestamp()", "timestamp", "current_timestamp()"},
	    {"current_timestamp(6)", "datetime(6)", "current_timestamp(6)"},
	    {"b'1'", "bit(1)", "b'1'"},
	    {"(1 + 2)", "int", "(1 + 2)"},
	    {"(1 + 2) * 3", "int", "((1 + 2) * 3)"},
	    {"uuid()", "varchar(36)", "(uuid())"},
	    {"concat('(',`a`,')')", "text", "(concat('(',`a`,')'))"},
	    /* A ZEROFILL column's padding is not its value. */
	    {"00000005", "int(8) unsigned zerofill", "5"},
	    {"0", "int(8) unsigned zerofill", "0"},
	    /* A binary default's bytes: MariaDB's escapes read, the value
	     * printed as one literal whatever the server's spelling. */
	    {"'\\0\\nA'", "varbinary(4)", "X'000a41'"},
	    {"'a''b'", "varbinary(4)", "'a''b'"},
	    {"X'01'", "blob", "X'01'"},
	    {"X'4142'", "blob", "'AB'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		strbuf sb = STRBUF_INIT;
		my_canon_default(&sb, cases[i][0], cases[i][1], true, false);
		assert_string_equal(strbuf_str(&sb), cases[i][2]);
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_parse),
	    cmocka_unit_test(test_canon_type),
	    cmocka_unit_test(test_mariadb_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
