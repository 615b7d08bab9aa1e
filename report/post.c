/*
 * Posting the report on the pull request (GitHub) or merge request
 * (GitLab): one comment, found again by REPORT_MARKER and updated, so
 * that every push replaces the report instead of adding another.
 */
#include "report.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/xalloc.h"

#define POST_ATTEMPTS 5
/* No run waits longer than this for retries in total. */
#define POST_MAX_WAIT_MS 120000

typedef struct http_resp {
	long status;
	strbuf body;
	char *next;	    /* GitHub Link rel="next" URL, or NULL */
	char *next_page;    /* GitLab X-Next-Page, or NULL */
	long retry_after_s; /* -1 when absent */
	bool rate_limited;  /* X-RateLimit-Remaining: 0 */
} http_resp;

static void resp_reset(http_resp *r)
{
	r->status = 0;
	strbuf_reset(&r->body);
	free(r->next);
	free(r->next_page);
	r->next = r->next_page = NULL;
	r->retry_after_s = -1;
	r->rate_limited = false;
}

static void resp_release(http_resp *r)
{
	resp_reset(r);
	strbuf_release(&r->body);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, data, size * n);
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
	} else if (klen == 11 && !strncasecmp(data, "retry-after", 11)) {
		r->retry_after_s = atol(v);
	} else if (klen == 21 &&
		   !strncasecmp(data, "x-ratelimit-remaining", 21)) {
		r->rate_limited = !strcmp(v, "0");
	}
	free(v);
	return len;
}

static long backoff_base_ms(void)
{
	const char *s = getenv("SCHEMIG_HTTP_BACKOFF_MS");
	long v = s && *s ? atol(s) : 1000;
	return v < 0 ? 0 : v;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * One request, retried with exponential backoff on 5xx, 429 and network
 * errors (honouring Retry-After). Returns 0 with r->status set, or -1
 * when no answer came at all. A 2xx/4xx answer is the caller's to judge.
 */
static int http_do(const char *method, const char *url,
		   struct curl_slist *headers, const char *body, http_resp *r,
		   error *e)
{
	long base = backoff_base_ms(), waited = 0;
	char curl_err[CURL_ERROR_SIZE] = "";
	for (int attempt = 0;; attempt++) {
		CURL *c = curl_easy_init();
		if (!c)
			return error_set(e, EXIT_DB, "cannot start libcurl");
		resp_reset(r);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "git-schemig");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		if (body)
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		CURLcode rc = curl_easy_perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE,
					  &r->status);
		curl_easy_cleanup(c);
		/* GitHub also signals rate limits as 403 with Retry-After or
		 * an exhausted X-RateLimit-Remaining: wait, do not give up. */
		bool retry = rc != CURLE_OK || r->status >= 500 ||
			     r->status == 429 ||
			     (r->status == 403 &&
			      (r->rate_limited || r->retry_after_s >= 0));
		if (!retry)
			return 0;
		long wait = base << (attempt < 10 ? attempt : 10);
		if (r->retry_after_s >= 0 && r->retry_after_s * 1000 > wait)
			wait = r->retry_after_s * 1000;
		if (attempt + 1 >= POST_ATTEMPTS ||
		    waited + wait > POST_MAX_WAIT_MS)
			break;
		fprintf(stderr, "%s %s: %s, retrying in %ld ms\n", method, url,
			rc != CURLE_OK ? curl_err : "server busy", wait);
		sleep_ms(wait);
		waited += wait;
	}
	if (r->status)
		return 0; /* the last 5xx/429: the caller reports it */
	return error_set(e, EXIT_DB, "%s %s: %s", method, url,
			 curl_err[0] ? curl_err : "no answer");
}

/* The failure message for an answer that is not 2xx. */
static int http_fail(const char *method, const char *url, long status,
		     const char *perm, error *e)
{
	if (status == 401 || status == 403)
		return error_set(e, EXIT_DB,
				 "%s %s: HTTP %ld: the token is missing or "
				 "lacks the %s permission",
				 method, url, status, perm);
	return error_set(e, EXIT_DB, "%s %s: HTTP %ld", method, url, status);
}

/* Name every missing variable at once: "missing GITHUB_TOKEN, ...". */
static int need_env(const char **names, const char **vals, int n, error *e)
{
	strbuf miss = STRBUF_INIT;
	for (int i = 0; i < n; i++)
		if (!vals[i] || !*vals[i])
			strbuf_addf(&miss, "%s%s", miss.len ? ", " : "",
				    names[i]);
	if (!miss.len)
		return 0;
	error_set(e, EXIT_USAGE, "--post: missing environment: %s", miss.buf);
	strbuf_release(&miss);
	return -1;
}

/* The PR / MR number goes into an API path: digits only. */
static int check_number(const char *what, const char *n, error *e)
{
	if (n && (!*n || strspn(n, "0123456789") != strlen(n)))
		return error_set(e, EXIT_USAGE,
				 "%s: expected a number, got '%s'", what, n);
	return 0;
}

/* The id of the first comment in a JSON array whose body holds the
 * marker; 0 when none. */
static json_int_t find_marker(const char *text)
{
	json_t *arr = json_loads(text, 0, NULL);
	size_t i;
	json_t *c;
	json_int_t id = 0;
	json_array_foreach(arr, i, c)
	{
		const char *b = json_string_value(json_object_get(c, "body"));
		if (b && strstr(b, REPORT_MARKER)) {
			id = json_integer_value(json_object_get(c, "id"));
			break;
		}
	}
	json_decref(arr);
	return id;
}

static char *body_json(const char *body)
{
	json_t *o = json_pack("{s:s}", "body", body);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* The PR number from the event payload GitHub Actions writes. */
static char *github_pr_from_event(const char *path)
{
	json_t *ev = path ? json_load_file(path, 0, NULL) : NULL;
	json_t *n =
	    json_object_get(json_object_get(ev, "pull_request"), "number");
	if (!n)
		n = json_object_get(json_object_get(ev, "issue"), "number");
	if (!n)
		n = json_object_get(ev, "number");
	char *r = NULL;
	if (json_is_integer(n)) {
		r = xmalloc(32);
		snprintf(r, 32, "%lld", (long long)json_integer_value(n));
	}
	json_decref(ev);
	return r;
}

static int append_summary(const char *path, const char *body, error *e)
{
	FILE *f = fopen(path, "a");
	if (!f || fputs(body, f) < 0 || fclose(f) != 0)
		return error_set(e, EXIT_USAGE, "GITHUB_STEP_SUMMARY: %s",
				 "cannot append");
	return 0;
}

int report_post_github(const char *body, const report_post_opts *o, error *e)
{
	const char *token = getenv("GITHUB_TOKEN");
	const char *repo = getenv("GITHUB_REPOSITORY");
	const char *api = getenv("GITHUB_API_URL");
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	char *pr = o->pr ? xstrdup(o->pr)
			 : github_pr_from_event(getenv("GITHUB_EVENT_PATH"));
	const char *names[] = {"GITHUB_TOKEN", "GITHUB_REPOSITORY",
			       "GITHUB_EVENT_PATH (a pull request event) or "
			       "--pr"};
	const char *vals[] = {token, repo, pr};
	struct curl_slist *h = NULL;
	strbuf url = STRBUF_INIT, auth = STRBUF_INIT, apib = STRBUF_INIT;
	http_resp r = {0, STRBUF_INIT, NULL, NULL, -1, false};
	char *payload = NULL;
	json_int_t id = 0;
	int ret = -1;

	if (summary && *summary && append_summary(summary, body, e) < 0)
		goto out;
	if (need_env(names, vals, 3, e) < 0 ||
	    check_number("pull request", pr, e) < 0)
		goto out;
	if (!api || !*api)
		api = "https://api.github.com";
	/* GITHUB_API_URL may end in '/': URLs are built with their own. */
	strbuf_adds(&apib, api);
	while (apib.len && apib.buf[apib.len - 1] == '/')
		strbuf_setlen(&apib, apib.len - 1);
	api = apib.buf;
	strbuf_addf(&auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, auth.buf);
	h = curl_slist_append(h, "Accept: application/vnd.github+json");
	h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
	h = curl_slist_append(h, "Content-Type: application/json");

	/* Find our comment: every page, following Link rel="next". */
	strbuf_addf(&url, "%s/repos/%s/issues/%s/comments?per_page=100", api,
		    repo, pr);
	char *next = xstrdup(url.buf);
	while (next && !id) {
		int rc = http_do("GET", next, h, NULL, &r, e);
		if (rc == 0 && (r.status < 200 || r.status > 299))
			rc = http_fail("GET", next, r.status,
				       "'pull requests: write' (or 'issues: "
				       "write')",
				       e);
		free(next);
		next = NULL;
		if (rc < 0)
			goto out;
		id = find_marker(r.body.buf ? r.body.buf : "[]");
		next = r.next ? xstrdup(r.next) : NULL;
	}
	free(next);

	payload = body_json(body);
	strbuf_reset(&url);
	const char *method = id ? "PATCH" : "POST";
	if (id)
		strbuf_addf(&url, "%s/repos/%s/issues/comments/%lld", api, repo,
			    (long long)id);
	else
		strbuf_addf(&url, "%s/repos/%s/issues/%s/comments", api, repo,
			    pr);
	if (http_do(method, url.buf, h, payload, &r, e) < 0)
		goto out;
	if (r.status < 200 || r.status > 299) {
		http_fail(method, url.buf, r.status,
			  "'pull requests: write' (or 'issues: write')", e);
		goto out;
	}
	fprintf(stderr, "report %s on %s#%s\n", id ? "updated" : "posted", repo,
		pr);
	ret = 0;
out:
	curl_slist_free_all(h);
	/* The header held the token: wipe it before freeing. */
	if (auth.buf)
		memset(auth.buf, 0, auth.len);
	strbuf_release(&auth);
	strbuf_release(&url);
	strbuf_release(&apib);
	resp_release(&r);
	free(payload);
	free(pr);
	return ret;
}

int report_post_gitlab(const char *body, const report_post_opts *o, error *e)
{
	const char *api = getenv("CI_API_V4_URL");
	const char *project = getenv("CI_PROJECT_ID");
	const char *iid = o->pr ? o->pr : getenv("CI_MERGE_REQUEST_IID");
	const char *token = getenv("GITLAB_TOKEN");
	const char *hname = "PRIVATE-TOKEN";
	if (!token || !*token) {
		token = getenv("CI_JOB_TOKEN");
		hname = "JOB-TOKEN";
	}
	const char *names[] = {"CI_API_V4_URL", "CI_PROJECT_ID",
			       "CI_MERGE_REQUEST_IID (or --pr)",
			       "GITLAB_TOKEN (or CI_JOB_TOKEN)"};
	const char *vals[] = {api, project, iid, token};
	struct curl_slist *h = NULL;
	strbuf base = STRBUF_INIT, url = STRBUF_INIT, auth = STRBUF_INIT;
	http_resp r = {0, STRBUF_INIT, NULL, NULL, -1, false};
	char *payload = NULL, *page = xstrdup("1"), *proj = NULL;
	json_int_t id = 0;
	int ret = -1;

	if (need_env(names, vals, 4, e) < 0 ||
	    check_number("merge request", iid, e) < 0)
		goto out;
	proj = curl_easy_escape(NULL, project, 0);
	strbuf_addf(&base, "%s/projects/%s/merge_requests/%s/notes", api, proj,
		    iid);
	strbuf_addf(&auth, "%s: %s", hname, token);
	h = curl_slist_append(h, auth.buf);
	h = curl_slist_append(h, "Content-Type: application/json");

	/* Find our note: every page, following X-Next-Page. */
	while (page && !id) {
		strbuf_reset(&url);
		strbuf_addf(&url, "%s?per_page=100&page=%s", base.buf, page);
		free(page);
		page = NULL;
		int rc = http_do("GET", url.buf, h, NULL, &r, e);
		if (rc == 0 && (r.status < 200 || r.status > 299))
			rc = http_fail("GET", url.buf, r.status, "'api' scope",
				       e);
		if (rc < 0)
			goto out;
		id = find_marker(r.body.buf ? r.body.buf : "[]");
		page = r.next_page ? xstrdup(r.next_page) : NULL;
	}

	payload = body_json(body);
	strbuf_reset(&url);
	const char *method = id ? "PUT" : "POST";
	if (id)
		strbuf_addf(&url, "%s/%lld", base.buf, (long long)id);
	else
		strbuf_adds(&url, base.buf);
	if (http_do(method, url.buf, h, payload, &r, e) < 0)
		goto out;
	if (r.status < 200 || r.status > 299) {
		http_fail(method, url.buf, r.status, "'api' scope", e);
		goto out;
	}
	fprintf(stderr, "report %s on merge request !%s\n",
		id ? "updated" : "posted", iid);
	ret = 0;
out:
	curl_slist_free_all(h);
	if (auth.buf)
		memset(auth.buf, 0, auth.len);
	strbuf_release(&auth);
	strbuf_release(&base);
	strbuf_release(&url);
	resp_release(&r);
	curl_free(proj);
	free(payload);
	free(page);
	return ret;
}
