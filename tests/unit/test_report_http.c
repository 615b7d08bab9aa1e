/*
 * net/http.c: which API URLs the token may be sent to, and which next
 * pages count as the API's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/http.h"

static void accepted(const char *url, const char *protocols, const char *origin)
{
	http_api api;
	error e = ERROR_INIT;
	if (http_api_init(&api, url, "API", &e) < 0)
		fail_msg("%s refused: %s", url, e.msg);
	assert_string_equal(api.protocols, protocols);
	assert_string_equal(api.origin, origin);
	http_api_release(&api);
}

static void refused(const char *url, const char *why)
{
	http_api api;
	error e = ERROR_INIT;
	assert_int_equal(http_api_init(&api, url, "API", &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	if (!strstr(e.msg, why))
		fail_msg("%s: '%s' does not say '%s'", url, e.msg, why);
	error_clear(&e);
	http_api_release(&api);
}

static void test_https_anywhere(void **state)
{
	(void)state;
	accepted("https://api.github.com", "https",
		 "https://api.github.com:443");
	accepted("https://ghe.example/api/v3/", "https",
		 "https://ghe.example:443");
	accepted("HTTPS://GitLab.Example:8443/api/v4", "https",
		 "https://gitlab.example:8443");
}

static void test_http_only_to_loopback(void **state)
{
	(void)state;
	accepted("http://127.0.0.1:8080", "http", "http://127.0.0.1:8080");
	accepted("http://127.9.8.7/api", "http", "http://127.9.8.7:80");
	accepted("http://[::1]:9000", "http", "http://[::1]:9000");
	accepted("http://localhost:3000", "http", "http://localhost:3000");
	refused("http://api.github.com", "only https://");
	refused("http://127.0.0.1.example.com", "only https://");
	refused("http://128.0.0.1", "only https://");
	refused("http://[::2]", "only https://");
	refused("ftp://127.0.0.1/", "only https://");
	refused("api.github.com", "not a URL");
}

static void test_no_credentials_in_url(void **state)
{
	(void)state;
	refused("https://u:hunter2@api.github.com", "user or password");
	http_api api;
	error e = ERROR_INIT;
	assert_int_equal(
	    http_api_init(&api, "https://u:hunter2@api.github.com", "API", &e),
	    -1);
	assert_null(strstr(e.msg, "hunter2"));
	error_clear(&e);
}

static void test_same_origin(void **state)
{
	(void)state;
	http_api api;
	error e = ERROR_INIT;
	assert_int_equal(
	    http_api_init(&api, "https://api.github.com", "API", &e), 0);
	assert_true(http_same_origin(&api, "https://api.github.com/x?page=2"));
	assert_true(http_same_origin(&api, "https://API.github.com:443/y"));
	assert_false(http_same_origin(&api, "http://api.github.com/x"));
	assert_false(http_same_origin(&api, "https://api.github.com:444/x"));
	assert_false(http_same_origin(&api, "https://api.github.com.evil/x"));
	assert_false(http_same_origin(&api, "https://evil.example/x"));
	assert_false(http_same_origin(&api, "https://u@api.github.com/x"));
	assert_false(http_same_origin(&api, "/relative?page=2"));
	http_api_release(&api);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_https_anywhere),
	    cmocka_unit_test(test_http_only_to_loopback),
	    cmocka_unit_test(test_no_credentials_in_url),
	    cmocka_unit_test(test_same_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
