/*
 * Approvals from the platform (report.h): the approving reviews of the
 * pull request (GitHub) or the approvals of the merge request (GitLab)
 * that carried a plan, and who a GitHub Actions job runs for.
 *
 * Everything that says where to ask comes from the CI's environment
 * (GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN; CI_API_V4_URL,
 * CI_PROJECT_ID, GITLAB_TOKEN), never from .schemig.yml or the plan:
 * both come from the branch under review. The requests go through
 * http.c (HTTPS, the API's own origin, bounded answers, retries), and no
 * message names a token.
 */
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/xalloc.h"
#include "../net/http.h"

#define ACTIONS_BOT "github-actions[bot]"
/* Pages followed at most: a review list longer than this is no pull
 * request's. */
#define MAX_PAGES 50

static const char gh_perm[] = "'pull requests: read'";
static const char gl_perm[] = "'api' scope";

/* A variable of the CI's environment, or NULL when unset or empty. */
static const char *ci_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* A value that goes into an API path: `ok` characters only. */
static int check_path_part(const char *what, const char *v, const char *ok,
			   error *e)
{
	if (!v || !*v || strspn(v, ok) != strlen(v) || strstr(v, ".."))
		return error_set(e, EXIT_USAGE, "%s: unexpected value '%s'",
				 what, v ? v : "");
	return 0;
}

#define DIGITS "0123456789"
#define REPO_CHARS                                                             \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" DIGITS "._-/"

/* The GitHub API of this job, with its token; *repo is owner/name. */
static int github_api(http_api *api, const char **repo, error *e)
{
	const char *token = ci_env("GITHUB_TOKEN");
	const char *url = ci_env("GITHUB_API_URL");
	*repo = ci_env("GITHUB_REPOSITORY");
	memset(api, 0, sizeof(*api));
	if (!token || !*repo)
		return error_set(
		    e, EXIT_USAGE, "GitHub: missing environment: %s%s%s",
		    token ? "" : "GITHUB_TOKEN", !token && !*repo ? ", " : "",
		    *repo ? "" : "GITHUB_REPOSITORY");
	if (check_path_part("GITHUB_REPOSITORY", *repo, REPO_CHARS, e) < 0 ||
	    http_api_init(api, url ? url : "https://api.github.com",
			  "GITHUB_API_URL", e) < 0)
		return -1;
	http_api_add_secret_header(api, "Authorization: Bearer ", token);
	api->headers = curl_slist_append(api->headers,
					 "Accept: application/vnd.github+json");
	api->headers =
	    curl_slist_append(api->headers, "X-GitHub-Api-Version: 2022-11-28");
	return 0;
}

/* GET `url` as JSON; a status that is not 2xx fails naming `perm`.
 * *next (when asked) gets the next page's URL: GitHub's Link on the
 * API's own origin, or GitLab's X-Next-Page added to `url`. */
static int get_json(const http_api *api, const char *url, const char *perm,
		    json_t **out, char **next, error *e)
{
	http_resp r = HTTP_RESP_INIT;
	json_error_t je;
	int ret = http_do(api, "GET", url, NULL, &r, e);
	*out = NULL;
	if (next)
		*next = NULL;
	if (!ret && (r.status < 200 || r.status > 299))
		ret = http_fail("GET", url, r.status, perm, e);
	if (!ret && !(*out = json_loads(r.body.buf ? r.body.buf : "", 0, &je)))
		ret =
		    error_set(e, EXIT_DB, "GET %s: not JSON: %s", url, je.text);
	if (!ret && next && r.next && http_same_origin(api, r.next))
		*next = xstrdup(r.next);
	if (!ret && next && !r.next && r.next_page && *r.next_page &&
	    strspn(r.next_page, DIGITS) == strlen(r.next_page)) {
		strbuf u = STRBUF_INIT;
		const char *p = strstr(url, "&page=");
		strbuf_add(&u, url, p ? (size_t)(p - url) : strlen(url));
		strbuf_addf(&u, "&page=%s", r.next_page);
		*next = strbuf_detach(&u);
	}
	http_resp_release(&r);
	return ret;
}

/* Every element of a paginated list, first page `url`. */
static int get_all(const http_api *api, const char *url, const char *perm,
		   json_t **all, error *e)
{
	char *next = xstrdup(url);
	int ret = 0;
	*all = json_array();
	for (int page = 0; next && page < MAX_PAGES && !ret; page++) {
		json_t *one = NULL;
		char *cur = next;
		ret = get_json(api, cur, perm, &one, &next, e);
		free(cur);
		if (!ret && !json_is_array(one))
			ret = error_set(e, EXIT_DB, "GET: expected a list");
		if (!ret)
			json_array_extend(*all, one);
		json_decref(one);
	}
	free(next);
	if (ret) {
		json_decref(*all);
		*all = NULL;
	}
	return ret;
}

static const char *str_at(const json_t *o, const char *k1, const char *k2)
{
	const json_t *v = json_object_get(o, k1);
	if (k2)
		v = json_object_get(v, k2);
	return json_string_value(v);
}

/* 64 hex digits at `p`, followed by `end`: copied into out[65]. */
static bool plan_id_at(const char *p, char end, char out[65])
{
	size_t n = strspn(p, "0123456789abcdef");
	if (n != 64 || p[n] != end)
		return false;
	memcpy(out, p, 64);
	out[64] = '\0';
	return true;
}

/*
 * The plan a report comment carries, into out[65]: the reviewed plan ci
 * merge kept (REPORT_REVIEWED), else, unless ci merge rewrote it with the
 * plan it ran (REPORT_MERGED: that plan was never reviewed there), the
 * "Plan `ID`" line report_render_markdown writes.
 */
static bool comment_plan(const char *body, char out[65])
{
	const char *h;
	if (!body || !strstr(body, REPORT_MARKER))
		return false;
	if ((h = strstr(body, REPORT_REVIEWED)))
		return plan_id_at(h + strlen(REPORT_REVIEWED), ' ', out);
	if (strstr(body, REPORT_MERGED))
		return false;
	for (const char *l = body; l; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		if (!strncmp(l, "Plan `", 6))
			return plan_id_at(l + 6, '`', out);
	}
	return false;
}

bool report_comment_names_plan(const char *body, const char *plan_id)
{
	char id[65];
	return plan_id && comment_plan(body, id) && !strcmp(id, plan_id);
}

/* GitHub's review states that set where a reviewer stands; COMMENTED
 * (and PENDING, not submitted) leave an earlier approval as it is, as
 * GitHub itself counts them. */
static bool sets_state(const char *state)
{
	return state && (!strcmp(state, "APPROVED") ||
			 !strcmp(state, "CHANGES_REQUESTED") ||
			 !strcmp(state, "DISMISSED"));
}

/* Is review `a` later than `b`? By submitted_at (ISO 8601 UTC, which
 * sorts as text), then by id. */
static bool later(const json_t *a, const json_t *b)
{
	const char *ta = str_at(a, "submitted_at", NULL);
	const char *tb = str_at(b, "submitted_at", NULL);
	int c = strcmp(ta ? ta : "", tb ? tb : "");
	if (c)
		return c > 0;
	return json_integer_value(json_object_get(a, "id")) >
	       json_integer_value(json_object_get(b, "id"));
}

json_t *report_github_approvers(const json_t *reviews, const char *head_sha,
				const char *author)
{
	json_t *latest = json_object(); /* lower-cased login -> review */
	json_t *out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(reviews, i, r)
	{
		const char *login = str_at(r, "user", "login");
		if (!login || !sets_state(str_at(r, "state", NULL)))
			continue;
		char *key = xstrdup(login);
		for (char *p = key; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		json_t *had = json_object_get(latest, key);
		if (!had || later(r, had))
			json_object_set(latest, key, r);
		free(key);
	}
	const char *key;
	json_object_foreach(latest, key, r)
	{
		const char *login = str_at(r, "user", "login");
		const char *sha = str_at(r, "commit_id", NULL);
		/* A review of an earlier commit predates the last push. */
		if (strcmp(str_at(r, "state", NULL), "APPROVED") || !sha ||
		    !head_sha || strcmp(sha, head_sha) ||
		    (author && !strcasecmp(login, author)))
			continue;
		json_array_append_new(out, json_string(login));
	}
	json_decref(latest);
	return out;
}

/* Whose comments are ours: the token's user (GET /user), or, for an
 * Actions GITHUB_TOKEN (refused /user), github-actions[bot]. */
typedef struct gh_self {
	bool asked, bot;
	char *login;
} gh_self;

static int gh_is_own(const http_api *api, gh_self *me, const json_t *c,
		     bool *own, error *e)
{
	*own = false;
	if (!me->asked) {
		strbuf url = STRBUF_INIT;
		http_resp r = HTTP_RESP_INIT;
		strbuf_addf(&url, "%s/user", api->base);
		int ret = http_do(api, "GET", url.buf, NULL, &r, e);
		if (!ret && (r.status == 403 || r.status == 404)) {
			me->bot = true;
		} else if (!ret && r.status >= 200 && r.status < 300) {
			json_t *u =
			    json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
			const char *l = str_at(u, "login", NULL);
			me->login = l ? xstrdup(l) : NULL;
			json_decref(u);
		} else if (!ret) {
			ret = http_fail("GET", url.buf, r.status, gh_perm, e);
		}
		http_resp_release(&r);
		strbuf_release(&url);
		if (ret)
			return -1;
		me->asked = true;
	}
	const char *login = str_at(c, "user", "login");
	const char *type = str_at(c, "user", "type");
	if (login && me->login)
		*own = !strcmp(login, me->login);
	else if (login && me->bot)
		*own =
		    !strcmp(login, ACTIONS_BOT) && type && !strcmp(type, "Bot");
	return 0;
}

/* The plans our report comments in `comments` carry: a new array. */
static int github_own_plans(const http_api *api, const json_t *comments,
			    json_t **ids, error *e)
{
	gh_self me = {0};
	size_t i;
	json_t *c;
	int ret = 0;
	*ids = json_array();
	json_array_foreach(comments, i, c)
	{
		bool own;
		char id[65];
		if (!comment_plan(str_at(c, "body", NULL), id))
			continue;
		if ((ret = gh_is_own(api, &me, c, &own, e)) < 0)
			break;
		if (own)
			json_array_append_new(*ids, json_string(id));
	}
	free(me.login);
	return ret;
}

static bool has_id(const json_t *ids, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		if (!strcmp(json_string_value(v), id))
			return true;
	}
	return false;
}

/* The plans our comments on pull request `pr` carry. */
static int github_plans(const http_api *api, const char *repo, const char *pr,
			json_t **ids, error *e)
{
	strbuf url = STRBUF_INIT;
	json_t *comments = NULL;
	*ids = NULL;
	strbuf_addf(&url, "%s/repos/%s/issues/%s/comments?per_page=100",
		    api->base, repo, pr);
	int ret = get_all(api, url.buf, gh_perm, &comments, e);
	if (!ret)
		ret = github_own_plans(api, comments, ids, e);
	json_decref(comments);
	strbuf_release(&url);
	return ret;
}

static int github_approvals(const char *pr, const char *plan_id,
			    json_t **logins, char **author, error *e)
{
	http_api api;
	const char *repo;
	strbuf url = STRBUF_INIT;
	json_t *pull = NULL, *ids = NULL, *reviews = NULL;
	int ret = -1;
	if (github_api(&api, &repo, e) < 0)
		goto out;
	strbuf_addf(&url, "%s/repos/%s/pulls/%s", api.base, repo, pr);
	if (get_json(&api, url.buf, gh_perm, &pull, NULL, e) < 0)
		goto out;
	const char *by = str_at(pull, "user", "login");
	const char *head = str_at(pull, "head", "sha");
	*author = by ? xstrdup(by) : NULL;
	if (github_plans(&api, repo, pr, &ids, e) < 0)
		goto out;
	*logins = json_array();
	ret = 0;
	if (!has_id(ids, plan_id)) {
		fprintf(stderr,
			"schemig: approvals: pull request #%s has no report "
			"of plan %.12s by git schemig: its reviews do not "
			"count for this plan\n",
			pr, plan_id);
		goto out;
	}
	strbuf_reset(&url);
	strbuf_addf(&url, "%s/repos/%s/pulls/%s/reviews?per_page=100", api.base,
		    repo, pr);
	if (get_all(&api, url.buf, gh_perm, &reviews, e) < 0) {
		ret = -1;
		goto out;
	}
	json_decref(*logins);
	*logins = report_github_approvers(reviews, head, by);
out:
	if (ret < 0) {
		json_decref(*logins);
		*logins = NULL;
	}
	json_decref(pull);
	json_decref(ids);
	json_decref(reviews);
	strbuf_release(&url);
	http_api_release(&api);
	return ret;
}

/* The GitLab API of this job: GITLAB_TOKEN, else CI_JOB_TOKEN. */
static int gitlab_api(http_api *api, char **project, error *e)
{
	const char *url = ci_env("CI_API_V4_URL");
	const char *proj = ci_env("CI_PROJECT_ID");
	const char *token = ci_env("GITLAB_TOKEN");
	const char *hname = "PRIVATE-TOKEN: ";
	memset(api, 0, sizeof(*api));
	*project = NULL;
	if (!token) {
		token = ci_env("CI_JOB_TOKEN");
		hname = "JOB-TOKEN: ";
	}
	if (!url || !proj || !token)
		return error_set(e, EXIT_USAGE,
				 "GitLab: missing environment: CI_API_V4_URL, "
				 "CI_PROJECT_ID and GITLAB_TOKEN (or "
				 "CI_JOB_TOKEN) are needed");
	if (http_api_init(api, url, "CI_API_V4_URL", e) < 0)
		return -1;
	http_api_add_secret_header(api, hname, token);
	*project = curl_easy_escape(NULL, proj, 0);
	return 0;
}

/* The plans our notes on merge request `iid` carry: by the token's user
 * (GET /user's id). A CI_JOB_TOKEN cannot read /user: then no note is
 * known to be ours. */
static int gitlab_plans(const http_api *api, const char *proj, const char *iid,
			json_t **ids, error *e)
{
	strbuf url = STRBUF_INIT;
	json_t *notes = NULL;
	json_int_t me = -1;
	*ids = NULL;
	strbuf_addf(&url,
		    "%s/projects/%s/merge_requests/%s/notes?per_page=100&"
		    "page=1",
		    api->base, proj, iid);
	int ret = get_all(api, url.buf, gl_perm, &notes, e);
	if (!ret)
		*ids = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(notes, i, n)
	{
		char id[65];
		if (!comment_plan(str_at(n, "body", NULL), id))
			continue;
		if (me < 0) {
			json_t *u = NULL;
			error ie = ERROR_INIT;
			strbuf_reset(&url);
			strbuf_addf(&url, "%s/user", api->base);
			me = get_json(api, url.buf, gl_perm, &u, NULL, &ie) < 0
				 ? 0
				 : json_integer_value(json_object_get(u, "id"));
			error_clear(&ie);
			json_decref(u);
		}
		if (me > 0 && json_integer_value(json_object_get(
				  json_object_get(n, "author"), "id")) == me)
			json_array_append_new(*ids, json_string(id));
	}
	json_decref(notes);
	strbuf_release(&url);
	return ret;
}

static int gitlab_approvals(const char *iid, const char *plan_id,
			    json_t **logins, char **author, error *e)
{
	http_api api;
	char *proj = NULL;
	strbuf url = STRBUF_INIT;
	json_t *mr = NULL, *ids = NULL, *appr = NULL;
	int ret = -1;
	if (gitlab_api(&api, &proj, e) < 0)
		goto out;
	strbuf_addf(&url, "%s/projects/%s/merge_requests/%s", api.base, proj,
		    iid);
	if (get_json(&api, url.buf, gl_perm, &mr, NULL, e) < 0)
		goto out;
	const char *by = str_at(mr, "author", "username");
	*author = by ? xstrdup(by) : NULL;
	if (gitlab_plans(&api, proj, iid, &ids, e) < 0)
		goto out;
	*logins = json_array();
	ret = 0;
	if (!has_id(ids, plan_id)) {
		fprintf(stderr,
			"schemig: approvals: merge request !%s has no report "
			"of plan %.12s by git schemig (or the token cannot "
			"tell whose notes are its own): its approvals do not "
			"count for this plan\n",
			iid, plan_id);
		goto out;
	}
	strbuf_reset(&url);
	strbuf_addf(&url, "%s/projects/%s/merge_requests/%s/approvals",
		    api.base, proj, iid);
	if (get_json(&api, url.buf, gl_perm, &appr, NULL, e) < 0) {
		ret = -1;
		goto out;
	}
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(appr, "approved_by"), i, a)
	{
		const char *who = str_at(a, "user", "username");
		if (who && !(by && !strcasecmp(who, by)))
			json_array_append_new(*logins, json_string(who));
	}
out:
	if (ret < 0) {
		json_decref(*logins);
		*logins = NULL;
	}
	json_decref(mr);
	json_decref(ids);
	json_decref(appr);
	strbuf_release(&url);
	curl_free(proj);
	http_api_release(&api);
	return ret;
}

int report_platform_approvals(const char *platform, const char *pr,
			      const char *plan_id, json_t **logins,
			      char **author, error *e)
{
	*logins = NULL;
	*author = NULL;
	if (check_path_part("pull request", pr, DIGITS, e) < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int ret = !strcmp(platform, "github")
		      ? github_approvals(pr, plan_id, logins, author, e)
		      : gitlab_approvals(pr, plan_id, logins, author, e);
	curl_global_cleanup();
	if (ret < 0) {
		free(*author);
		*author = NULL;
	}
	return ret;
}

void report_github_event_pr(char pr[32])
{
	const char *path = ci_env("GITHUB_EVENT_PATH");
	json_t *ev = path ? json_load_file(path, 0, NULL) : NULL;
	json_t *n =
	    json_object_get(json_object_get(ev, "pull_request"), "number");
	pr[0] = '\0';
	if (!n)
		n = json_object_get(ev, "number");
	if (json_is_integer(n) && json_integer_value(n) > 0)
		snprintf(pr, 32, "%lld", (long long)json_integer_value(n));
	json_decref(ev);
}

int report_reviewed_plan(const char *platform, const char *pr, char **plan_id,
			 error *e)
{
	http_api api = {0};
	const char *repo;
	char *proj = NULL, num[32];
	json_t *ids = NULL;
	int ret = -1;
	bool gh = !strcmp(platform, "github");
	*plan_id = NULL;
	if (pr)
		snprintf(num, sizeof(num), "%s", pr);
	else if (gh)
		report_github_event_pr(num);
	else
		snprintf(num, sizeof(num), "%s",
			 ci_env("CI_MERGE_REQUEST_IID")
			     ? ci_env("CI_MERGE_REQUEST_IID")
			     : "");
	if (check_path_part("pull request", num, DIGITS, e) < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (gh ? github_api(&api, &repo, e) < 0 ||
		     github_plans(&api, repo, num, &ids, e) < 0
	       : gitlab_api(&api, &proj, e) < 0 ||
		     gitlab_plans(&api, proj, num, &ids, e) < 0)
		goto out;
	if (json_array_size(ids))
		*plan_id = xstrdup(json_string_value(json_array_get(ids, 0)));
	ret = 0;
out:
	json_decref(ids);
	curl_free(proj);
	http_api_release(&api);
	curl_global_cleanup();
	return ret;
}

int report_github_actor(char **login, error *e)
{
	const char *actor = ci_env("GITHUB_ACTOR");
	const char *run = ci_env("GITHUB_RUN_ID");
	const char *repo;
	http_api api;
	strbuf url = STRBUF_INIT;
	json_t *r = NULL;
	int ret = -1;
	*login = NULL;
	if (!actor || !run)
		return error_set(e, EXIT_FOUND,
				 "GitHub Actions: GITHUB_ACTOR and "
				 "GITHUB_RUN_ID are needed to confirm who "
				 "approves");
	if (check_path_part("GITHUB_RUN_ID", run, DIGITS, e) < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (github_api(&api, &repo, e) < 0)
		goto out;
	strbuf_addf(&url, "%s/repos/%s/actions/runs/%s", api.base, repo, run);
	if (get_json(&api, url.buf, "'actions: read'", &r, NULL, e) < 0)
		goto out;
	/* The person who started this attempt of the run (a re-run's
	 * too); `actor` only when the API gives no triggering_actor. */
	const char *who = str_at(r, "triggering_actor", "login");
	if (!who)
		who = str_at(r, "actor", "login");
	const char *status = str_at(r, "status", NULL);
	if (!who || strcasecmp(who, actor)) {
		error_set(e, EXIT_FOUND,
			  "GitHub Actions: run %s was started by %s, not by "
			  "GITHUB_ACTOR %s: the approval is not recorded",
			  run, who ? who : "nobody the API names", actor);
		goto out;
	}
	/* A finished run is no proof that this job is that run. */
	if (status && !strcmp(status, "completed")) {
		error_set(e, EXIT_FOUND,
			  "GitHub Actions: run %s has completed: this job is "
			  "not that run",
			  run);
		goto out;
	}
	*login = xstrdup(who);
	ret = 0;
out:
	/* Whatever went wrong, the approval is refused, not an error. */
	if (ret < 0)
		e->code = EXIT_FOUND;
	json_decref(r);
	strbuf_release(&url);
	http_api_release(&api);
	curl_global_cleanup();
	return ret;
}
