/*
 * The HTTP requests schemig makes to web APIs (report/: GitHub and
 * GitLab; llm/: the model providers), over libcurl, restricted to what
 * they need.
 *
 * Only HTTPS (plain HTTP only for an API on the loopback interface, which
 * is where the tests' stand-in listens), no redirects, only URLs of the
 * API's own origin, and answers of at most HTTP_MAX_BODY bytes: the
 * requests carry the repository's token (or a provider's key), which
 * nothing here ever prints.
 */
#ifndef SCHEMIG_NET_HTTP_H
#define SCHEMIG_NET_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>

#include "../util/error.h"
#include "../util/strbuf.h"

/* A page of comments is a few hundred kilobytes; anything near this is
 * not an answer from the API. */
#define HTTP_MAX_BODY (8L * 1024 * 1024)

/* The API the requests go to. */
typedef struct http_resp http_resp;

typedef struct http_api {
	char *base;	       /* its URL, without a trailing '/' */
	char *origin;	       /* scheme://host:port, the port always written */
	const char *protocols; /* "https", or "http" for a loopback API */
	bool loopback;	       /* the host is 127.0.0.0/8, ::1 or localhost */
	struct curl_slist *headers;
	/* Retry policy; the zero values keep the defaults (the GitHub and
	 * GitLab clients use them). */
	int attempts;	     /* 0: 5 */
	long backoff_ms;     /* the first wait, doubled each time; 0: 1000
				(SCHEMIG_HTTP_BACKOFF_MS overrides both) */
	long backoff_cap_ms; /* no single backoff wait longer; 0: none */
	bool jitter;	     /* each backoff wait times 0.75..1 */
	/* The whole call (every attempt and wait) ends within this many
	 * seconds, else fails with "no answer within N s"; 0: 60 s per
	 * attempt, 120 s of waits in all. */
	long total_timeout_s;
	/* Which answers are retried: NULL for 5xx, 429 and a rate-limit
	 * 403; otherwise the caller decides from the answer (status,
	 * headers, body). Network errors are always retried. */
	bool (*should_retry)(const http_resp *r);
} http_api;

struct http_resp {
	long status;
	strbuf body;
	bool too_big;	     /* the body passed HTTP_MAX_BODY: dropped */
	char *next;	     /* GitHub Link rel="next" URL, or NULL */
	char *next_page;     /* GitLab X-Next-Page, or NULL */
	long retry_after_s;  /* -1 when absent */
	bool rate_limited;   /* X-RateLimit-Remaining: 0 */
	long retry_after_ms; /* retry-after-ms (the LLM APIs); -1: absent */
	int attempts;	     /* how many requests http_do made */
};

#define HTTP_RESP_INIT                                                         \
	{                                                                      \
		0, STRBUF_INIT, false, NULL, NULL, -1, false, -1, 0            \
	}

/*
 * Check `url` (named `what` in messages) and fill api->base and
 * api->origin: https://, or http:// to 127.0.0.0/8, ::1 or localhost;
 * no user info (credentials go in the token variables). EXIT_USAGE
 * before any request otherwise.
 */
int http_api_init(http_api *api, const char *url, const char *what, error *e);
/* Every header line is wiped, then freed. */
void http_api_release(http_api *api);
/* Add the header line `prefix``secret` (a token, a key); the copy made
 * for it is wiped once libcurl's list has its own. */
void http_api_add_secret_header(http_api *api, const char *prefix,
				const char *secret);

/* Does `url` have the API's scheme, host and port (and no user info)? */
bool http_same_origin(const http_api *api, const char *url);

/*
 * One request to `url` (of the API's origin), retried with exponential
 * backoff on 5xx, 429, a rate-limit 403 and network errors (honouring
 * retry-after-ms, else Retry-After; api's policy fields change which
 * and how often). Returns 0 with r->status set, or -1 when no answer came
 * (EXIT_DB; "no answer within N s" past api->total_timeout_s) or it was
 * larger than HTTP_MAX_BODY. A 2xx/4xx is the caller's to
 * judge.
 */
int http_do(const http_api *api, const char *method, const char *url,
	    const char *body, http_resp *r, error *e);
void http_resp_release(http_resp *r);

/* The failure message for an answer that is not 2xx; for 401 and 403 it
 * names the permission `perm` the token lacks. */
int http_fail(const char *method, const char *url, long status,
	      const char *perm, error *e);

#endif
