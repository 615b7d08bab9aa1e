/*
 * Shared by the unit tests that need a PostgreSQL server: the harness
 * (tests/run.sh) starts a throwaway one and exports its URL. Include
 * after <cmocka.h>.
 */
#ifndef SCHEMIG_TEST_SERVER_H
#define SCHEMIG_TEST_SERVER_H
#include <stdlib.h>

/* The test server's URL; fails the test when the harness did not set
 * it. */
static inline const char *test_server_url(void)
{
	const char *url = getenv("SCHEMIG_TEST_PG_URL");
	if (!url || !*url)
		fail_msg("SCHEMIG_TEST_PG_URL not set: the harness starts a "
			 "server and exports its URL");
	return url;
}

#endif
