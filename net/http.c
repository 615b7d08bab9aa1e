/*
 * HTTP requests to web APIs (http.h): GitHub, GitLab, the LLM providers.
 * libcurl, held to HTTPS, to the API's own origin and to answers of a
 * sane size, since every request carries a token or key.
 */
#include "http.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/xalloc.h"

#define HTTP_ATTEMPTS 5
/* No run waits longer than this for retries in total. */
#define HTTP_MAX_WAIT_MS 120000

/* The parts of a URL the checks look at; all NULL when it does not
 * parse. */
typedef struct url_parts {
	char *scheme, *host, *port;
	bool userinfo;
} url_parts;

static void url_parts_release(url_parts *p)
{
	curl_free(p->scheme);
	curl_free(p->host);
	curl_free(p->port);
	memset(p, 0, sizeof(*p));
}

static int url_parts_get(const char *url, url_parts *p)
{
	CURLU *u = curl_url();
	char *user = NULL, *pw = NULL;
	memset(p, 0, sizeof(*p));
	int ok =
	    u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &p->host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &p->port, CURLU_DEFAULT_PORT) ==
		CURLUE_OK;
	if (ok) {
		p->userinfo =
		    curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
		    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK;
	}
	curl_free(user);
	curl_free(pw);
	curl_url_cleanup(u);
	if (!ok)
		url_parts_release(p);
	return ok ? 0 : -1;
}

static char *parts_origin(const url_parts *p)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s://%s:%s", p->scheme, p->host, p->port);
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] >= 'A' && sb.buf[i] <= 'Z')
			sb.buf[i] = (char)(sb.buf[i] - 'A' + 'a');
	return strbuf_detach(&sb);
}

/* 127.0.0.0/8, ::1 (written [::1] in a URL) or localhost. */
static bool host_is_loopback(const char *host)
{
	unsigned char a4[4], a6[16];
	size_t n = strlen(host);
	if (!strcasecmp(host, "localhost"))
		return true;
	if (inet_pton(AF_INET, host, a4) == 1)
		return a4[0] == 127;
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		char *bare = xstrndup(host + 1, n - 2);
		bool lo = inet_pton(AF_INET6, bare, a6) == 1 &&
			  !memcmp(a6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
		free(bare);
		return lo;
	}
	return false;
}

int http_api_init(http_api *api, const char *url, const char *what, error *e)
{
	url_parts p;
	int ret = 0;
	memset(api, 0, sizeof(*api));
	if (url_parts_get(url, &p) < 0)
		return error_set(e, EXIT_USAGE, "%s: not a URL", what);
	if (p.userinfo)
		ret = error_set(e, EXIT_USAGE,
				"%s: a user or password in the URL is not "
				"accepted (the token variable holds the "
				"credential)",
				what);
	else if (!strcasecmp(p.scheme, "https"))
		api->protocols = "https";
	else if (!strcasecmp(p.scheme, "http") && host_is_loopback(p.host))
		api->protocols = "http";
	else
		ret = error_set(e, EXIT_USAGE,
				"%s: only https:// is accepted (http:// only "
				"for a loopback address), got %s://%s",
				what, p.scheme, p.host);
	if (!ret) {
		api->loopback = host_is_loopback(p.host);
		api->origin = parts_origin(&p);
		strbuf b = STRBUF_INIT;
		/* URLs are built with their own '/'. */
		strbuf_adds(&b, url);
		while (b.len && b.buf[b.len - 1] == '/')
			strbuf_setlen(&b, b.len - 1);
		api->base = strbuf_detach(&b);
	}
	url_parts_release(&p);
	return ret;
}

void http_api_add_secret_header(http_api *api, const char *prefix,
				const char *secret)
{
	strbuf h = STRBUF_INIT;
	strbuf_addf(&h, "%s%s", prefix, secret);
	api->headers = curl_slist_append(api->headers, h.buf);
	memset(h.buf, 0, h.len);
	strbuf_release(&h);
}

void http_api_release(http_api *api)
{
	/* Header lines may hold a token or a key: wiped before they are
	 * freed. */
	for (struct curl_slist *l = api->headers; l; l = l->next)
		memset(l->data, 0, strlen(l->data));
	curl_slist_free_all(api->headers);
	free(api->base);
	free(api->origin);
	memset(api, 0, sizeof(*api));
}

bool http_same_origin(const http_api *api, const char *url)
{
	url_parts p;
	if (url_parts_get(url, &p) < 0)
		return false;
	char *o = parts_origin(&p);
	bool same = !p.userinfo && !strcmp(o, api->origin);
	free(o);
	url_parts_release(&p);
	return same;
}

static void resp_reset(http_resp *r)
{
	r->status = 0;
	strbuf_reset(&r->body);
	r->too_big = false;
	free(r->next);
	free(r->next_page);
	r->next = r->next_page = NULL;
	r->retry_after_s = -1;
	r->rate_limited = false;
	r->retry_after_ms = -1;
}

void http_resp_release(http_resp *r)
{
	resp_reset(r);
	strbuf_release(&r->body);
}

/* Returning less than was given makes libcurl abort the transfer. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	http_resp *r = arg;
	if (r->body.len + size * n > (size_t)HTTP_MAX_BODY) {
		r->too_big = true;
		return 0;
	}
	strbuf_add(&r->body, data, size * n);
	return size * n;
}

static char *trimmed(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len &&
	       (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' '))
		len--;
	char *r = xmalloc(len + 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

/* Link: <url>; rel="next", <url>; rel="last" */
static char *link_next(const char *v)
{
	const char *rel = strstr(v, "rel=\"next\"");
	if (!rel)
		return NULL;
	const char *open = NULL;
	for (const char *c = v; c < rel; c++)
		if (*c == '<')
			open = c;
	const char *close = open ? strchr(open, '>') : NULL;
	if (!close || close > rel)
		return NULL;
	return trimmed(open + 1, (size_t)(close - open - 1));
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	http_resp *r = arg;
	size_t len = size * n;
	const char *colon = memchr(data, ':', len);
	if (!colon)
		return len;
	size_t klen = (size_t)(colon - data);
	char *v = trimmed(colon + 1, len - klen - 1);
	if (klen == 4 && !strncasecmp(data, "link", 4)) {
		free(r->next);
		r->next = link_next(v);
	} else if (klen == 11 && !strncasecmp(data, "x-next-page", 11)) {
		free(r->next_page);
		r->next_page = *v ? xstrdup(v) : NULL;
	} else if (klen == 14 && !strncasecmp(data, "retry-after-ms", 14)) {
		r->retry_after_ms = atol(v);
	} else if (klen == 11 && !strncasecmp(data, "retry-after", 11)) {
		r->retry_after_s = atol(v);
	} else if (klen == 21 &&
		   !strncasecmp(data, "x-ratelimit-remaining", 21)) {
		r->rate_limited = !strcmp(v, "0");
	}
	free(v);
	return len;
}

static long backoff_base_ms(const http_api *api)
{
	const char *s = getenv("SCHEMIG_HTTP_BACKOFF_MS");
	long v = s && *s	       ? atol(s)
		 : api->backoff_ms > 0 ? api->backoff_ms
				       : 1000;
	return v < 0 ? 0 : v;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool default_retry(const http_resp *r)
{
	/* GitHub also signals rate limits as 403 with Retry-After or an
	 * exhausted X-RateLimit-Remaining: wait, do not give up. */
	return r->status >= 500 || r->status == 429 ||
	       (r->status == 403 && (r->rate_limited || r->retry_after_s >= 0));
}

/* The wait before attempt `attempt` + 1: what the server asked for, else
 * exponential backoff (capped, with jitter when the API wants it). */
static long retry_wait_ms(const http_api *api, const http_resp *r, long base,
			  int attempt)
{
	long wait = base << (attempt < 10 ? attempt : 10);
	if (api->backoff_cap_ms > 0 && wait > api->backoff_cap_ms)
		wait = api->backoff_cap_ms;
	if (api->jitter)
		wait = wait * (75 + rand() % 26) / 100;
	if (r->retry_after_ms >= 0)
		return r->retry_after_ms;
	if (r->retry_after_s >= 0 && r->retry_after_s * 1000 > wait)
		wait = r->retry_after_s * 1000;
	return wait;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* One attempt: the answer in *r, libcurl's code returned. */
static CURLcode perform(const http_api *api, const char *method,
			const char *url, const char *body, http_resp *r,
			char *curl_err, long timeout_ms)
{
	CURL *c = curl_easy_init();
	if (!c)
		return CURLE_FAILED_INIT;
	resp_reset(r);
	curl_easy_setopt(c, CURLOPT_URL, url);
	/* The token must not travel anywhere else: one scheme, and no
	 * redirect is followed (an https-only list should one ever be). */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, api->protocols);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)HTTP_MAX_BODY);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, api->headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "git-schemig");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(c);
	return rc;
}

int http_do(const http_api *api, const char *method, const char *url,
	    const char *body, http_resp *r, error *e)
{
	long base = backoff_base_ms(api), waited = 0;
	int attempts = api->attempts > 0 ? api->attempts : HTTP_ATTEMPTS;
	/* With a total timeout, every attempt and wait shares one
	 * deadline; without, each attempt has 60 s. */
	long deadline = api->total_timeout_s > 0
			    ? now_ms() + api->total_timeout_s * 1000
			    : 0;
	char curl_err[CURL_ERROR_SIZE] = "";
	if (!http_same_origin(api, url))
		return error_set(e, EXIT_DB, "%s: not on the API's origin %s",
				 method, api->origin);
	r->attempts = 0;
	bool timed_out = false;
	for (int attempt = 0;; attempt++) {
		long left = deadline ? deadline - now_ms() : 60000;
		if (left <= 0) {
			timed_out = true;
			break;
		}
		CURLcode rc =
		    perform(api, method, url, body, r, curl_err, left);
		r->attempts++;
		if (rc == CURLE_FAILED_INIT)
			return error_set(e, EXIT_DB, "cannot start libcurl");
		/* Too big is no accident that a retry mends. */
		if (r->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			return error_set(e, EXIT_DB,
					 "%s %s: the answer is larger than %ld "
					 "MiB: not one from the API",
					 method, url, HTTP_MAX_BODY >> 20);
		bool retry =
		    rc != CURLE_OK || (api->should_retry ? api->should_retry(r)
							 : default_retry(r));
		if (!retry)
			return 0;
		long wait = retry_wait_ms(api, r, base, attempt);
		/* The attempt itself may have used up the deadline. */
		timed_out = rc == CURLE_OPERATION_TIMEDOUT ||
			    (deadline && now_ms() + wait >= deadline);
		if (attempt + 1 >= attempts ||
		    waited + wait > HTTP_MAX_WAIT_MS || timed_out)
			break;
		fprintf(stderr, "%s %s: %s, retrying in %ld ms\n", method, url,
			rc != CURLE_OK ? curl_err : "server busy", wait);
		sleep_ms(wait);
		waited += wait;
	}
	if (r->status)
		return 0; /* the last 5xx/429: the caller reports it */
	if (deadline && timed_out)
		return error_set(e, EXIT_DB,
				 "%s %s: no answer within %ld s%s%s", method,
				 url, api->total_timeout_s,
				 curl_err[0] ? ": " : "", curl_err);
	return error_set(e, EXIT_DB, "%s %s: no answer after %d attempts: %s",
			 method, url, r->attempts,
			 curl_err[0] ? curl_err : "no answer");
}

int http_fail(const char *method, const char *url, long status,
	      const char *perm, error *e)
{
	if (status == 401 || status == 403)
		return error_set(e, EXIT_DB,
				 "%s %s: HTTP %ld: the token is missing or "
				 "lacks the %s permission",
				 method, url, status, perm);
	return error_set(e, EXIT_DB, "%s %s: HTTP %ld", method, url, status);
}
