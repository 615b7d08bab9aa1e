/*
 * The approvals a plan has (apply_internal.h, apply.h): the rows of the
 * target's journal (git schemig approve) and, in CI, the approving
 * reviews of the pull or merge request that carried the plan
 * (report_platform_approvals), counted once per person.
 *
 * Who a person is never comes from a name someone typed: a journal row
 * is its session's login role (or the platform login a GitHub Actions
 * job's token confirmed, believed only from the role that applies: the
 * dialect gives it for those rows only); a review is the platform's
 * account. A database login and a platform login that are spelled alike
 * (case aside) are one person, and the pull request's author counts from
 * neither source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../report/report.h"
#include "../util/xalloc.h"
#include "apply_internal.h"

/* The prefix `approve` writes before a GitHub login in the journal. */
#define GITHUB_LOGIN "github:"

static bool same_person(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* Add {approver, source, ...more} to `out` unless that person is the
 * author; a person already there gets the source in "also" instead, for
 * the audit. `more` is stolen. */
static void add_person(json_t *out, const char *who, const char *source,
		       const char *author, json_t *more)
{
	size_t i;
	json_t *a;
	bool skip = !who || !*who || same_person(who, author);
	json_array_foreach(out, i, a)
	{
		if (skip || !same_person(who, json_string_value(json_object_get(
						  a, "approver"))))
			continue;
		skip = true;
		if (!strcmp(source,
			    json_string_value(json_object_get(a, "source"))))
			continue;
		json_t *also = json_object_get(a, "also");
		if (!also)
			json_object_set_new(a, "also", also = json_array());
		json_array_append_new(also, json_string(source));
	}
	if (skip) {
		json_decref(more);
		return;
	}
	json_t *one = more ? more : json_object();
	json_object_set_new(one, "approver", json_string(who));
	json_object_set_new(one, "source", json_string(source));
	json_array_append_new(out, one);
}

/* The identity of one journal row: its confirmed platform login, else
 * its login role. */
static const char *row_person(const json_t *row)
{
	const char *login = json_string_value(json_object_get(row, "login"));
	if (login && !strncmp(login, GITHUB_LOGIN, strlen(GITHUB_LOGIN)) &&
	    login[strlen(GITHUB_LOGIN)])
		return login + strlen(GITHUB_LOGIN);
	return json_string_value(json_object_get(row, "approver"));
}

int apply_approvals_collect(apply_state *st, json_t **out, error *e)
{
	const apply_opts *o = st->o;
	json_t *rows = NULL, *logins = NULL;
	char *author = NULL;
	*out = NULL;
	if (st->d->journal_approvals(st->jr, st->p->id, &rows, e) < 0)
		return -1;
	/* The platform unreachable means no approval counts, the
	 * journal's neither: without the pull request its author is not
	 * known, and must not count. The apply pauses, which is safe, and
	 * says why. */
	if (o->approvals_platform && o->approvals_pr) {
		error pe = ERROR_INIT;
		if (report_platform_approvals(o->approvals_platform,
					      o->approvals_pr, st->p->id,
					      &logins, &author, &pe) < 0) {
			fprintf(stderr,
				"schemig: approvals: none is counted until %s "
				"answers (who opened the pull request is not "
				"known): %s\n",
				o->approvals_platform, pe.msg);
			json_array_clear(rows);
		}
		error_clear(&pe);
	}
	*out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *role =
		    json_string_value(json_object_get(r, "approver"));
		const char *at = json_string_value(json_object_get(r, "at"));
		add_person(*out, row_person(r), "journal", author,
			   json_pack("{s:s?, s:s?}", "role", role, "at", at));
	}
	json_array_foreach(logins, i, r) add_person(
	    *out, json_string_value(r), o->approvals_platform, author, NULL);
	json_decref(rows);
	json_decref(logins);
	free(author);
	return 0;
}

int apply_approve(const dialect *d, const char *url, const char *plan_id,
		  const char *comment, const char *github_login,
		  char **approver, error *e)
{
	dialect_conn *c = NULL;
	strbuf sql = STRBUF_INIT, login = STRBUF_INIT;
	dialect_run_result res = {.own_lock = -1};
	json_t *who = NULL;
	int ret = -1;
	*approver = NULL;
	if (!d->journal_approvals)
		return error_set(e, EXIT_USAGE,
				 "the %s dialect keeps no approvals", d->name);
	size_t len = strspn(plan_id, "0123456789abcdef");
	if (len != 64 || plan_id[len])
		return error_set(e, EXIT_USAGE,
				 "--plan: expected a plan id (64 hex digits, "
				 "as apply prints it)");
	if (github_login)
		strbuf_addf(&login, GITHUB_LOGIN "%s", github_login);
	json_t *f =
	    json_pack("{s:s, s:s?}", "plan_id", plan_id, "comment", comment);
	/* No login: the column's default (''), the key of a database
	 * approval. */
	if (github_login)
		json_object_set_new(f, "login", json_string(login.buf));
	if (d->journal_sql(JOURNAL_APPROVE, f, &sql, e) < 0 ||
	    d->session_connect(url, &c, e) < 0)
		goto out;
	if (d->session_run(c, strbuf_str(&sql), &res, e) < 0) {
		error_prefix(e, "recording the approval (has an apply set "
				"the journal up in this database?)");
		goto out;
	}
	if (d->journal_approvals(c, plan_id, &who, e) < 0)
		goto out;
	/* The row of this session's login and platform login is the one
	 * written: name its person and role. */
	size_t i;
	json_t *a;
	json_array_foreach(who, i, a)
	{
		const char *l = json_string_value(json_object_get(a, "login"));
		const char *role =
		    json_string_value(json_object_get(a, "approver"));
		if (!role || strcmp(l ? l : "", github_login ? login.buf : ""))
			continue;
		strbuf s = STRBUF_INIT;
		if (github_login)
			strbuf_addf(&s, "%s (database role %s)", login.buf,
				    role);
		else
			strbuf_adds(&s, role);
		free(*approver);
		*approver = strbuf_detach(&s);
	}
	ret = 0;
out:
	json_decref(f);
	json_decref(who);
	strbuf_release(&sql);
	strbuf_release(&login);
	d->session_close(c);
	return ret;
}
