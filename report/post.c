/*
 * Posting the report on the pull request (GitHub) or merge request
 * (GitLab): one comment, found again by REPORT_MARKER and updated, so
 * that every push replaces the report instead of adding another.
 *
 * Only a comment the token's own user wrote is ever updated: anyone can
 * post a comment holding the marker, and editing theirs would put our
 * report under their name (or leave ours unseen). Whose comment it is
 * comes from GET /user; a GitHub Actions GITHUB_TOKEN (like any GitHub
 * App installation token) is refused that endpoint with 403, and its
 * comments are written by "github-actions[bot]" of type "Bot": with /user
 * forbidden, that is the only author accepted.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "../net/http.h"

#define ACTIONS_BOT "github-actions[bot]"

/* Who the token belongs to, asked once, when a comment with the marker
 * turns up. */
typedef struct owner {
	bool known;
	char *login;	  /* GitHub: the token user's login */
	bool actions_bot; /* GitHub: /user forbidden (GITHUB_TOKEN) */
	json_int_t id;	  /* GitLab: the token user's id; 0: nobody */
} owner;

/* What differs between the two forges when finding our comment. */
typedef struct forge {
	const char *perm; /* what a 401/403 says the token lacks */
	/* Fill `o` from the API's answer to GET /user (status, body). */
	int (*owner_from)(long status, const json_t *user, owner *o);
	bool (*is_own)(const owner *o, const json_t *comment);
} forge;

static int github_owner_from(long status, const json_t *user, owner *o)
{
	if (status == 403 || status == 404) {
		o->actions_bot = true;
		return 0;
	}
	const char *login = json_string_value(json_object_get(user, "login"));
	o->login = login ? xstrdup(login) : NULL;
	return 0;
}

static bool github_is_own(const owner *o, const json_t *c)
{
	const json_t *u = json_object_get(c, "user");
	const char *login = json_string_value(json_object_get(u, "login"));
	const char *type = json_string_value(json_object_get(u, "type"));
	if (!login)
		return false;
	if (o->login)
		return !strcmp(login, o->login);
	return o->actions_bot && !strcmp(login, ACTIONS_BOT) && type &&
	       !strcmp(type, "Bot");
}

/* A CI_JOB_TOKEN cannot read /user: then no note is ours to edit. */
static int gitlab_owner_from(long status, const json_t *user, owner *o)
{
	if (status == 401 || status == 403 || status == 404)
		return 0;
	o->id = json_integer_value(json_object_get(user, "id"));
	return 0;
}

static bool gitlab_is_own(const owner *o, const json_t *c)
{
	const json_t *a = json_object_get(c, "author");
	return o->id && json_integer_value(json_object_get(a, "id")) == o->id;
}

static const forge github = {"'pull requests: write' (or 'issues: write')",
			     github_owner_from, github_is_own};
static const forge gitlab = {"'api' scope", gitlab_owner_from, gitlab_is_own};

static int ask_owner(const http_api *api, const forge *f, owner *o, error *e)
{
	strbuf url = STRBUF_INIT;
	http_resp r = HTTP_RESP_INIT;
	strbuf_addf(&url, "%s/user", api->base);
	int ret = http_do(api, "GET", url.buf, NULL, &r, e);
	bool denied = r.status == 401 || r.status == 403 || r.status == 404;
	/* A 401 from GitHub is a bad token, not a kind of token. */
	if (!ret && (r.status < 200 || r.status > 299) &&
	    (!denied || (f == &github && r.status == 401)))
		ret = http_fail("GET", url.buf, r.status, f->perm, e);
	if (!ret) {
		json_t *user =
		    json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
		ret = f->owner_from(r.status, user, o);
		json_decref(user);
		o->known = true;
	}
	http_resp_release(&r);
	strbuf_release(&url);
	return ret;
}

/* *id: the first comment of `page` (a JSON array) that holds the marker
 * and is the token's own; left 0 when none is. */
static int find_own(const http_api *api, const forge *f, const char *page,
		    owner *o, json_int_t *id, error *e)
{
	json_t *arr = json_loads(page ? page : "[]", 0, NULL);
	size_t i;
	json_t *c;
	int ret = 0;
	json_array_foreach(arr, i, c)
	{
		const char *b = json_string_value(json_object_get(c, "body"));
		if (!b || !strstr(b, REPORT_MARKER))
			continue;
		if (!o->known && (ret = ask_owner(api, f, o, e)) < 0)
			break;
		if (f->is_own(o, c)) {
			*id = json_integer_value(json_object_get(c, "id"));
			break;
		}
	}
	json_decref(arr);
	return ret;
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

static char *body_json(const char *body)
{
	json_t *o = json_pack("{s:s}", "body", body);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* POST a new comment to `list_url`, or update comment `one_url` with
 * `update_method`; "report posted/updated" on stderr names `where`. */
static int send_comment(const http_api *api, const forge *f, const char *body,
			const char *list_url, const char *one_url,
			const char *update_method, const char *where, error *e)
{
	char *payload = body_json(body);
	const char *method = one_url ? update_method : "POST";
	const char *url = one_url ? one_url : list_url;
	http_resp r = HTTP_RESP_INIT;
	int ret = http_do(api, method, url, payload, &r, e);
	if (!ret && (r.status < 200 || r.status > 299))
		ret = http_fail(method, url, r.status, f->perm, e);
	if (!ret)
		fprintf(stderr, "report %s on %s\n",
			one_url ? "updated" : "posted", where);
	http_resp_release(&r);
	free(payload);
	return ret;
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

/* Every page of comments, following Link rel="next" on the API's own
 * origin only: a link elsewhere would take the token with it. */
static int github_find(const http_api *api, const char *first, json_int_t *id,
		       error *e)
{
	owner o = {0};
	http_resp r = HTTP_RESP_INIT;
	char *next = xstrdup(first);
	int ret = 0;
	while (next && !*id && !ret) {
		ret = http_do(api, "GET", next, NULL, &r, e);
		if (!ret && (r.status < 200 || r.status > 299))
			ret = http_fail("GET", next, r.status, github.perm, e);
		if (!ret)
			ret = find_own(api, &github, r.body.buf, &o, id, e);
		free(next);
		next = r.next ? xstrdup(r.next) : NULL;
		if (next && !http_same_origin(api, next)) {
			warn("GitHub: not following a next page outside %s",
			     api->origin);
			free(next);
			next = NULL;
		}
	}
	free(next);
	free(o.login);
	http_resp_release(&r);
	return ret;
}

int report_post_github(const char *body, const report_post_opts *o, error *e)
{
	const char *token = getenv("GITHUB_TOKEN");
	const char *repo = getenv("GITHUB_REPOSITORY");
	const char *api_url = getenv("GITHUB_API_URL");
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	char *pr = o->pr ? xstrdup(o->pr)
			 : github_pr_from_event(getenv("GITHUB_EVENT_PATH"));
	const char *names[] = {"GITHUB_TOKEN", "GITHUB_REPOSITORY",
			       "GITHUB_EVENT_PATH (a pull request event) or "
			       "--pr"};
	const char *vals[] = {token, repo, pr};
	strbuf list = STRBUF_INIT, one = STRBUF_INIT, where = STRBUF_INIT;
	http_api api = {0};
	json_int_t id = 0;
	int ret = -1;

	if (summary && *summary && append_summary(summary, body, e) < 0)
		goto out;
	if (need_env(names, vals, 3, e) < 0 ||
	    check_number("pull request", pr, e) < 0)
		goto out;
	if (http_api_init(
		&api, api_url && *api_url ? api_url : "https://api.github.com",
		"GITHUB_API_URL", e) < 0)
		goto out;
	http_api_add_secret_header(&api, "Authorization: Bearer ", token);
	api.headers = curl_slist_append(api.headers,
					"Accept: application/vnd.github+json");
	api.headers =
	    curl_slist_append(api.headers, "X-GitHub-Api-Version: 2022-11-28");
	api.headers =
	    curl_slist_append(api.headers, "Content-Type: application/json");

	strbuf_addf(&list, "%s/repos/%s/issues/%s/comments", api.base, repo,
		    pr);
	strbuf_addf(&one, "%s?per_page=100", list.buf);
	if (github_find(&api, one.buf, &id, e) < 0)
		goto out;
	strbuf_reset(&one);
	if (id)
		strbuf_addf(&one, "%s/repos/%s/issues/comments/%lld", api.base,
			    repo, (long long)id);
	strbuf_addf(&where, "%s#%s", repo, pr);
	ret = send_comment(&api, &github, body, list.buf, id ? one.buf : NULL,
			   "PATCH", where.buf, e);
out:
	http_api_release(&api);
	strbuf_release(&list);
	strbuf_release(&one);
	strbuf_release(&where);
	free(pr);
	return ret;
}

/* Every page of notes, following X-Next-Page: a page number, added to
 * our own URL (anything but digits ends the walk). */
static int gitlab_find(const http_api *api, const char *base, json_int_t *id,
		       error *e)
{
	owner o = {0};
	http_resp r = HTTP_RESP_INIT;
	strbuf url = STRBUF_INIT;
	char *page = xstrdup("1");
	int ret = 0;
	while (page && !*id && !ret) {
		strbuf_reset(&url);
		strbuf_addf(&url, "%s?per_page=100&page=%s", base, page);
		free(page);
		page = NULL;
		ret = http_do(api, "GET", url.buf, NULL, &r, e);
		if (!ret && (r.status < 200 || r.status > 299))
			ret =
			    http_fail("GET", url.buf, r.status, gitlab.perm, e);
		if (!ret)
			ret = find_own(api, &gitlab, r.body.buf, &o, id, e);
		if (r.next_page && *r.next_page &&
		    strspn(r.next_page, "0123456789") == strlen(r.next_page))
			page = xstrdup(r.next_page);
	}
	free(page);
	strbuf_release(&url);
	http_resp_release(&r);
	return ret;
}

int report_post_gitlab(const char *body, const report_post_opts *o, error *e)
{
	const char *api_url = getenv("CI_API_V4_URL");
	const char *project = getenv("CI_PROJECT_ID");
	const char *iid = o->pr ? o->pr : getenv("CI_MERGE_REQUEST_IID");
	const char *token = getenv("GITLAB_TOKEN");
	const char *hname = "PRIVATE-TOKEN: ";
	if (!token || !*token) {
		token = getenv("CI_JOB_TOKEN");
		hname = "JOB-TOKEN: ";
	}
	const char *names[] = {"CI_API_V4_URL", "CI_PROJECT_ID",
			       "CI_MERGE_REQUEST_IID (or --pr)",
			       "GITLAB_TOKEN (or CI_JOB_TOKEN)"};
	const char *vals[] = {api_url, project, iid, token};
	strbuf base = STRBUF_INIT, one = STRBUF_INIT, where = STRBUF_INIT;
	http_api api = {0};
	char *proj = NULL;
	json_int_t id = 0;
	int ret = -1;

	if (need_env(names, vals, 4, e) < 0 ||
	    check_number("merge request", iid, e) < 0 ||
	    http_api_init(&api, api_url, "CI_API_V4_URL", e) < 0)
		goto out;
	http_api_add_secret_header(&api, hname, token);
	api.headers =
	    curl_slist_append(api.headers, "Content-Type: application/json");
	proj = curl_easy_escape(NULL, project, 0);
	strbuf_addf(&base, "%s/projects/%s/merge_requests/%s/notes", api.base,
		    proj, iid);
	if (gitlab_find(&api, base.buf, &id, e) < 0)
		goto out;
	if (id)
		strbuf_addf(&one, "%s/%lld", base.buf, (long long)id);
	strbuf_addf(&where, "merge request !%s", iid);
	ret = send_comment(&api, &gitlab, body, base.buf, id ? one.buf : NULL,
			   "PUT", where.buf, e);
out:
	http_api_release(&api);
	strbuf_release(&base);
	strbuf_release(&one);
	strbuf_release(&where);
	curl_free(proj);
	return ret;
}

/*
 * A webhook's URL often is its secret (a token in the path): it is
 * never named in a message, only its origin's scheme in http_api_init's
 * refusal.
 */
int report_post_webhook(const char *url, const char *body, error *e)
{
	http_api api;
	http_resp r = HTTP_RESP_INIT;
	error ie = ERROR_INIT;
	int ret = -1;
	if (http_api_init(&api, url, "audit.webhook", e) < 0)
		return -1;
	api.headers =
	    curl_slist_append(api.headers, "Content-Type: application/json");
	if (http_do(&api, "POST", url, body, &r, &ie) < 0)
		error_set(e, EXIT_DB, "audit.webhook: no answer");
	else if (r.status < 200 || r.status > 299)
		error_set(e, EXIT_DB, "audit.webhook: HTTP %ld", r.status);
	else
		ret = 0;
	error_clear(&ie);
	http_resp_release(&r);
	http_api_release(&api);
	return ret;
}
