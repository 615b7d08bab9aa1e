/*
 * git schemig report: the plan (and, when there is one, the dry run's
 * measurements) rendered for reviewers, checked against an
 * environment's policy, and posted on the pull or merge request.
 *
 * A report never holds row data nor a credential: it is built from the
 * plan file, the dry-run report file and the policy only.
 */
#ifndef SCHEMIG_REPORT_H
#define SCHEMIG_REPORT_H

#include <jansson.h>

#include "../config/config.h"
#include "../plan/plan.h"
#include "../util/error.h"
#include "../util/strbuf.h"

/* The hidden line that lets a later run find its comment again. */
#define REPORT_MARKER "<!-- git-schemig:report -->"

typedef struct report_input {
	const plan *plan;
	const json_t *dry_run;	     /* the dry-run report file, or NULL */
	const config_policy *policy; /* NULL: no limits to compare with */
	const char *env;	     /* the policy's environment, or NULL */
	bool no_rollback_sql;	     /* name the command instead of the SQL (a
					comment too long for the API's limit) */
} report_input;

/* GitHub refuses comments over 65,536 characters; stay under it. */
#define REPORT_MAX_COMMENT 60000

/* Check a dry-run report file's shape ("FILE: steps[2].n: expected an
 * integer"); the keys report reads must be there and of their type. */
int report_check_dry_run(const json_t *dry, const char *filename, error *e);

/* Markdown for people: marker, verdict, policy line, steps table,
 * hazards, rollback, plan id and fingerprints. */
void report_render_markdown(const report_input *in, strbuf *out);
/*
 * What is posted as a comment: the Markdown, then `tail` (more Markdown,
 * or NULL), in at most REPORT_MAX_COMMENT bytes. Over it, the rollback
 * SQL (the longest part) is left out; still over, the report is cut at
 * a line and a note says it was trimmed, `tail` kept whole after it.
 */
void report_render_comment(const report_input *in, const char *tail,
			   strbuf *out);

/* The same facts as JSON, keys sorted, one trailing newline. */
int report_render_json(const report_input *in, strbuf *out, error *e);

/* Where to post; every field comes from the environment or an option. */
typedef struct report_post_opts {
	const char *pr; /* --pr: the PR / MR number, overrides CI's */
} report_post_opts;

/* Create or update the one comment holding REPORT_MARKER. Missing
 * environment variables: EXIT_USAGE naming them; HTTP failures: EXIT_DB
 * with the status and, for 401/403, the permission the token lacks.
 * GitHub also appends `body` to $GITHUB_STEP_SUMMARY when it is set. */
int report_post_github(const char *body, const report_post_opts *o, error *e);
int report_post_gitlab(const char *body, const report_post_opts *o, error *e);

/* POST `body` (JSON) to a webhook URL (https://, or http:// on the
 * loopback), retried as the API requests are; messages never name the
 * URL. */
int report_post_webhook(const char *url, const char *body, error *e);

/*
 * Approvals on the platform (approvals.c), for apply's guardrails. Where
 * to ask comes from the CI's environment only (GITHUB_API_URL,
 * GITHUB_REPOSITORY, GITHUB_TOKEN; CI_API_V4_URL, CI_PROJECT_ID,
 * GITLAB_TOKEN or CI_JOB_TOKEN), never from the repository.
 */

/* What ci merge writes in the comment: its heading, and, after the
 * marker, the plan the pull request's report named before (followed by
 * " -->"), which its reviews approved. */
#define REPORT_MERGED	"\n## Merged: "
#define REPORT_REVIEWED "<!-- git-schemig:reviewed-plan "

/* Does report comment `body` (REPORT_MARKER) carry plan `plan_id`: the
 * reviewed plan ci merge kept, else, in a comment ci merge did not
 * rewrite, its "Plan `ID`" line? */
bool report_comment_names_plan(const char *body, const char *plan_id);

/* The pull request number of the GitHub Actions event
 * (GITHUB_EVENT_PATH) into pr[32]; "" when it names none. */
void report_github_event_pr(char pr[32]);

/* The plan the token's own report comment on the pull / merge request
 * carries (pr NULL: the one the CI's environment names), or *plan_id
 * NULL; malloc'd. */
int report_reviewed_plan(const char *platform, const char *pr, char **plan_id,
			 error *e);

/* From a pull request's reviews (GitHub's JSON list): the logins whose
 * latest review (by submitted_at, then id; COMMENTED and PENDING ones
 * leave the standing one as it is) is APPROVED on commit `head_sha`,
 * `author` left out (case-insensitively). A new JSON array of strings. */
json_t *report_github_approvers(const json_t *reviews, const char *head_sha,
				const char *author);

/*
 * The people who approved pull request `pr` ("github": its reviews,
 * report_github_approvers; "gitlab": the merge request's approvals),
 * none unless one of the token's own comments on it is a report of plan
 * `plan_id` (said on stderr). *logins: a new JSON array of strings, the
 * author left out; *author (malloc'd, may be NULL): who opened it.
 * -1 with `e` when the API cannot be asked.
 */
int report_platform_approvals(const char *platform, const char *pr,
			      const char *plan_id, json_t **logins,
			      char **author, error *e);

/*
 * In GitHub Actions: GITHUB_ACTOR, once the job's token confirms it
 * started this run (GET .../actions/runs/GITHUB_RUN_ID: triggering_actor,
 * else actor, and the run not completed). *login malloc'd. -1 with `e`
 * (EXIT_FOUND) when it differs or cannot be asked.
 */
int report_github_actor(char **login, error *e);

#endif
