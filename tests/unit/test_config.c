/*
 * config_load: an example using every key loads; unknown keys, bad values and
 * wrong node kinds fail with file:line:column; a missing file is an error
 * but a missing configuration in a directory means defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "util/strbuf.h"

static char tmpdir[64];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/schemig-test-config-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	strbuf p = STRBUF_INIT;
	(void)state;
	strbuf_addf(&p, "%s/%s", tmpdir, CONFIG_FILENAME);
	unlink(p.buf);
	strbuf_release(&p);
	return rmdir(tmpdir);
}

/* Write `text` as the directory's .schemig.yml and return its path. */
static char *write_config(const char *text)
{
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", tmpdir, CONFIG_FILENAME);
	FILE *f = fopen(p.buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return strbuf_detach(&p);
}

/* Load `text`, expect failure, and check the message holds `want`
 * (and, when `pos` is given, the "file:line:column" prefix). */
static void expect_error(const char *text, const char *pos, const char *want)
{
	char *path = write_config(text);
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), -1);
	assert_null(c);
	assert_non_null(e.msg);
	if (!strstr(e.msg, want))
		fail_msg("message '%s' lacks '%s'", e.msg, want);
	if (pos) {
		strbuf prefix = STRBUF_INIT;
		strbuf_addf(&prefix, "%s:%s: ", path, pos);
		if (strncmp(e.msg, prefix.buf, prefix.len))
			fail_msg("message '%s' does not start with '%s'", e.msg,
				 prefix.buf);
		strbuf_release(&prefix);
	}
	assert_int_equal(e.code, EXIT_USAGE);
	error_clear(&e);
	free(path);
}

static const char example[] =
    "dialect: postgres\n"
    "schema: db/schema.sql\n"
    "migrations: { format: knex, dir: migrations }\n"
    "environments:\n"
    "  staging:    { url: env:STAGING_DATABASE_URL }\n"
    "  production:\n"
    "    url: env:DATABASE_URL\n"
    "    replica: env:REPLICA_DATABASE_URL\n"
    "    policy: { max_lock_ms: 2000, max_rows: 1000000, deny: "
    "[drop_table], approvals: 2, max_duration_s: 600 }\n"
    "llm: { provider: anthropic, model: claude-sonnet-4-5, api_key: "
    "env:ANTHROPIC_API_KEY, prompt: .schemig/plan.md }\n"
    "dev: { url: env:SCHEMIG_DEV_URL }\n";

/* protected: defaults by name, set either way, and only a boolean. */
static void test_protected(void **state)
{
	(void)state;
	char *path = write_config("environments:\n"
				  "  live: { url: env:A }\n"
				  "  prod: { url: env:B, protected: false }\n"
				  "  qa: { url: env:C, protected: yes }\n"
				  "  dev: { url: env:D }\n");
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_true(config_find_env(c, "live")->is_protected);
	assert_false(config_find_env(c, "prod")->is_protected);
	assert_true(config_find_env(c, "qa")->is_protected);
	assert_false(config_find_env(c, "dev")->is_protected);
	config_free(c);
	free(path);
	expect_error("environments:\n  p: { url: env:X, protected: maybe }\n",
		     "2:31", "environments.p.protected must be true or false");
}

static void test_valid(void **state)
{
	(void)state;
	char *path = write_config(example);
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_non_null(c);
	assert_string_equal(c->path, path);
	assert_string_equal(c->dialect, "postgres");
	assert_string_equal(c->schema, "db/schema.sql");
	assert_string_equal(c->migrations_format, "knex");
	assert_string_equal(c->migrations_dir, "migrations");
	assert_int_equal(c->nenvs, 2);
	assert_string_equal(c->envs[0].name, "staging");
	assert_string_equal(c->envs[0].url, "env:STAGING_DATABASE_URL");
	assert_null(c->envs[0].replica);
	assert_false(c->envs[0].has_policy);
	assert_int_equal(c->envs[0].policy.max_lock_ms, -1);
	assert_int_equal(c->envs[0].policy.max_duration_s, -1);

	const config_env *prod = config_find_env(c, "production");
	assert_ptr_equal(prod, &c->envs[1]);
	assert_int_equal(prod->line, 6);
	assert_string_equal(prod->url, "env:DATABASE_URL");
	assert_string_equal(prod->replica, "env:REPLICA_DATABASE_URL");
	assert_true(prod->has_policy);
	assert_int_equal(prod->policy.max_lock_ms, 2000);
	assert_int_equal(prod->policy.max_rows, 1000000);
	assert_int_equal(prod->policy.max_duration_s, 600);
	assert_int_equal(prod->policy.approvals, 2);
	assert_int_equal(prod->policy.ndeny, 1);
	assert_string_equal(prod->policy.deny[0], "drop_table");
	assert_null(config_find_env(c, "prod"));
	/* Named production: protected unless the file says otherwise. */
	assert_true(prod->is_protected);
	assert_false(c->envs[0].is_protected);

	assert_string_equal(c->llm_provider, "anthropic");
	assert_string_equal(c->llm_model, "claude-sonnet-4-5");
	assert_string_equal(c->llm_api_key, "env:ANTHROPIC_API_KEY");
	assert_int_equal(c->llm_nprompts, 1);
	assert_string_equal(c->llm_prompts[0], ".schemig/plan.md");
	assert_string_equal(c->dev_url, "env:SCHEMIG_DEV_URL");
	config_free(c);
	free(path);
}

static void test_empty_file_is_defaults(void **state)
{
	(void)state;
	char *path = write_config("# nothing configured yet\n");
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_string_equal(c->dialect, "postgres");
	assert_string_equal(c->schema, "db/schema.sql");
	assert_int_equal(c->nenvs, 0);
	assert_null(c->dev_url);
	config_free(c);
	free(path);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_error("dialect: postgres\n"
		     "environments:\n"
		     "  prod:\n"
		     "    url: env:X\n"
		     "    urll: env:Y\n",
		     "5:5", "unknown key 'urll' in environments.prod");
	expect_error("schema: a.sql\nshema: b.sql\n", "2:1",
		     "unknown key 'shema'");
	expect_error("environments:\n  p:\n    url: env:X\n    policy:\n"
		     "      max_lock: 5\n",
		     "5:7", "unknown key 'max_lock' in environments.p.policy");
	expect_error("environments:\n  p:\n    url: env:X\n    policy:\n"
		     "      max_duration_s: 1h\n",
		     "5:23",
		     "environments.p.policy.max_duration_s must be a "
		     "non-negative integer, not '1h'");
	expect_error("llm: { provider: openai, top_p: 1 }\n", "1:26",
		     "unknown key 'top_p' in llm");
	expect_error("llm: { provider: x }\n", "1:18",
		     "unknown llm.provider 'x'");
	expect_error("llm: { temperature: 3 }\n", "1:21",
		     "llm.temperature must be a number from 0 to 2");
	expect_error("llm: { timeout_s: 0 }\n", "1:19",
		     "llm.timeout_s must be at least 1");
	expect_error("llm: { prompts: a.md }\n", "1:17",
		     "llm.prompts must be a list");
	expect_error("dev: { host: x }\n", "1:8", "unknown key 'host' in dev");
	expect_error("schema: a.sql\nschema: b.sql\n", "2:1",
		     "duplicate key 'schema'");
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error("environments:\n  prod:\n    url: env:X\n"
		     "    policy: { max_lock_ms: fast }\n",
		     "4:28",
		     "environments.prod.policy.max_lock_ms must be a "
		     "non-negative integer, not 'fast'");
	expect_error("environments:\n  prod:\n    url: env:X\n"
		     "    policy: { approvals: -1 }\n",
		     "4:26", "approvals must be a non-negative integer");
	expect_error("environments:\n  prod:\n    url: env:X\n"
		     "    policy: { window: \"Mon 09:00-25:00\" }\n",
		     "4:23",
		     "environments.prod.policy.window: the hours must be");
	expect_error("audit: { webhook: \"https://hooks/secret\" }\n", "1:19",
		     "audit.webhook must be env:NAME");
	expect_error("dialect: oracle\n", "1:10", "unknown dialect 'oracle'");
	expect_error("dialect: sqlserver\n", "1:10",
		     "dialect sqlserver is not supported yet");
	expect_error("migrations: { format: rails }\n", "1:23",
		     "unknown migrations.format 'rails'");
	expect_error("environments:\n  prod: { replica: env:R }\n", "2:9",
		     "environments.prod has no url");
	/* A literal key in the repository is refused, and not echoed. */
	char *path = write_config("llm: { api_key: sk-live-123 }\n");
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), -1);
	assert_non_null(strstr(e.msg, "llm.api_key must be env:NAME"));
	assert_null(strstr(e.msg, "sk-live-123"));
	error_clear(&e);
	free(path);
}

static void test_wrong_node_kind(void **state)
{
	(void)state;
	expect_error("environments: [staging, prod]\n", "1:15",
		     "environments must be a mapping, not a list");
	expect_error("schema: { file: a.sql }\n", "1:9",
		     "schema must be a string, not a mapping");
	expect_error("environments:\n  prod:\n    url: env:X\n"
		     "    policy: { deny: drop_table }\n",
		     "4:21", "environments.prod.policy.deny must be a list");
	expect_error("environments:\n  prod: env:X\n", "2:9",
		     "environments.prod must be a mapping, not a scalar");
	expect_error("- a\n- b\n", "1:1",
		     "the configuration must be a mapping, not a list");
	/* Malformed YAML: the parser's own message, with the position. */
	expect_error("schema: [a\n", NULL, CONFIG_FILENAME ":2:");
}

static void test_missing_file(void **state)
{
	(void)state;
	config *c = NULL;
	error e = ERROR_INIT;
	strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/nope.yml", tmpdir);
	assert_int_equal(config_load(path.buf, &c, &e), -1);
	assert_null(c);
	assert_non_null(strstr(e.msg, path.buf));
	assert_non_null(strstr(e.msg, "No such file"));
	error_clear(&e);

	/* In a directory without one: the defaults, not an error. */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", tmpdir, CONFIG_FILENAME);
	unlink(path.buf);
	assert_int_equal(config_load_dir(tmpdir, &c, &e), 0);
	assert_non_null(c);
	assert_null(c->path);
	assert_string_equal(c->schema, "db/schema.sql");
	config_free(c);

	/* ...and the file when there is one. */
	free(write_config("schema: schema/all.sql\n"));
	assert_int_equal(config_load_dir(tmpdir, &c, &e), 0);
	assert_string_equal(c->schema, "schema/all.sql");
	assert_string_equal(c->path, path.buf);
	config_free(c);
	strbuf_release(&path);
}

/* Apply windows: parsing, and opening times across a change to
 * daylight saving time (Europe/Berlin, 29 March 2026). */
static void test_window(void **state)
{
	(void)state;
	config_window w;
	error e = ERROR_INIT;
	long long next = 0;
	assert_int_equal(
	    config_window_parse("Mon-Fri 09:00-16:00 Europe/Berlin", &w, &e),
	    0);
	assert_int_equal(w.days, 0x3e);
	assert_int_equal(w.start, 540);
	assert_int_equal(w.end, 960);
	/* Friday 27 March, 09:30 CET: open. */
	assert_true(config_window_open(&w, 1774600200LL, &next));
	/* Friday 18:00 CET: closed; Monday 09:00 CEST is 07:00 UTC. */
	assert_false(config_window_open(&w, 1774630800LL, &next));
	assert_int_equal(next, 1774854000LL);
	/* TZ is put back. */
	assert_null(getenv("TZ"));

	assert_int_equal(config_window_parse("Fri-Mon 22:00-24:00", &w, &e), 0);
	assert_int_equal(w.days, (1u << 5) | (1u << 6) | 1u | (1u << 1));
	assert_string_equal(w.zone, "UTC");
	assert_int_equal(config_window_parse("daily 00:00-24:00", &w, &e), 0);
	assert_true(config_window_open(&w, 1774630800LL, NULL));

	static const char *const bad[] = {
	    "Mon-Fri",
	    "Mon-Fri 16:00-09:00",
	    "Mon-Fri 09:00-25:00",
	    "Mon-Fry 09:00-16:00",
	    "Mon-Fri 9:00-16:00",
	    "Mon-Fri 09:00-16:00 Mars/Olympus",
	    "Mon-Fri 09:00-16:00 ../../etc/passwd",
	    "Mon-Fri 09:00-16:00 UTC extra",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(config_window_parse(bad[i], &w, &e), -1);
		assert_non_null(e.msg);
		error_clear(&e);
	}
}

/* credential: the admin URL is a variable's name, the lifetime bounded;
 * a valid block is read as given, 60 minutes by default. */
static void test_credential(void **state)
{
	(void)state;
	expect_error("environments:\n  p:\n    url: env:X\n    credential:\n"
		     "      admin_url: postgres://a:secret@h/d\n",
		     "5:18", "admin_url must be env:NAME");
	expect_error("environments:\n  p:\n    url: env:X\n    credential:\n"
		     "      admin_url: env:A\n      ttl_minutes: 0\n",
		     "6:20", "ttl_minutes must be at least 1");
	expect_error("environments:\n  p:\n    url: env:X\n    credential:\n"
		     "      ttl_minutes: 5\n",
		     "5:7", "admin_url is missing");
	expect_error("environments:\n  p:\n    url: env:X\n    credential:\n"
		     "      admin_url: env:A\n      user: x\n",
		     "6:7", "user");
	char *path = write_config("environments:\n  p:\n    url: env:X\n"
				  "    credential: { admin_url: env:A }\n"
				  "  q:\n    url: env:Y\n    credential: "
				  "{ admin_url: env:B, ttl_minutes: 15 }\n");
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_string_equal(c->envs[0].cred_admin_url, "env:A");
	assert_int_equal(c->envs[0].cred_ttl_minutes, 60);
	assert_int_equal(c->envs[1].cred_ttl_minutes, 15);
	config_free(c);
	free(path);
}

/* mask: rules by column; replica: a spec, schemig, or a mapping. */
static void test_replica_mask(void **state)
{
	(void)state;
	expect_error("mask:\n  public.t.c: scramble\n", "2:15",
		     "unknown rule 'scramble' (known: keep, null, hash");
	expect_error("mask:\n  justacolumn: hash\n", "2:3",
		     "'justacolumn' is not a column");
	expect_error("mask:\n  a.b.c.d: hash\n", "2:3", "is not a column");
	expect_error("environments:\n  p:\n    url: env:X\n    replica:\n"
		     "      sample: 10\n",
		     "5:7", "provision: schemig is missing");
	expect_error("environments:\n  p:\n    url: env:X\n    replica:\n"
		     "      provision: someone\n",
		     "5:18", "expected schemig");
	expect_error("environments:\n  p:\n    url: env:X\n    replica:\n"
		     "      provision: schemig\n      sample: 0\n",
		     "6:15", "must be 1 to 100");
	expect_error("environments:\n  p:\n    url: env:X\n    replica:\n"
		     "      provision: schemig\n      where: x\n",
		     "6:7", "unknown key 'where' in environments.p.replica");
	char *path = write_config(
	    "environments:\n  p:\n    url: env:X\n    replica: schemig\n"
	    "  q:\n    url: env:Y\n    replica: { provision: schemig, "
	    "into: env:R, sample: 5, keep: true }\n"
	    "mask:\n  public.users.email: email\n  notes.body: null\n"
	    "  public.users.ssn: ~\n");
	config *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_true(c->envs[0].replica_provision);
	assert_null(c->envs[0].replica);
	assert_null(c->envs[0].replica_into);
	assert_int_equal(c->envs[0].replica_sample, 100);
	assert_false(c->envs[0].replica_keep);
	assert_string_equal(c->envs[1].replica_into, "env:R");
	assert_int_equal(c->envs[1].replica_sample, 5);
	assert_true(c->envs[1].replica_keep);
	assert_int_equal(c->nmasks, 3);
	assert_string_equal(c->masks[0].column, "public.users.email");
	assert_string_equal(c->masks[0].rule, "email");
	assert_int_equal(c->masks[0].line, 9);
	assert_string_equal(c->masks[1].rule, "null");
	assert_string_equal(c->masks[2].rule, "null");
	config_free(c);
	free(path);
}

/* search_path: a list or a comma-separated string of schema names,
 * kept literally in order; anything that is not a plain name refused
 * with its position. */
static void test_search_path(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *want[4];
	} ok[] = {
	    {"search_path: [app, public]\n", {"app", "public"}},
	    {"search_path: 'App ,  public'\n", {"App", "public"}},
	    {"search_path:\n  - \"x; DROP SCHEMA public --\"\n",
	     {"x; DROP SCHEMA public --"}},
	    {"search_path: ~\n", {NULL}},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *path = write_config(ok[i].text);
		config *c = NULL;
		error e = ERROR_INIT;
		assert_int_equal(config_load(path, &c, &e), 0);
		int n = 0;
		while (n < 4 && ok[i].want[n])
			n++;
		assert_int_equal(c->nsearch_path, n);
		for (int k = 0; k < n; k++)
			assert_string_equal(c->search_path[k], ok[i].want[k]);
		if (n)
			assert_null(c->search_path[n]);
		else
			assert_null(c->search_path);
		config_free(c);
		free(path);
	}
	expect_error("search_path: [app, \"$user\"]\n", "1:20",
		     "'$user' is not a schema name");
	expect_error("search_path: '\"App\", public'\n", "1:14",
		     "written without quotes");
	expect_error("search_path: [app, app]\n", "1:20", "names 'app' twice");
	expect_error("search_path: 'app,,public'\n", "1:14",
		     "empty schema name");
	expect_error("search_path: ' , '\n", "1:14", "empty schema name");
	expect_error("search_path: [a234567890123456789012345678901234567890"
		     "12345678901234567890123x]\n",
		     "1:15", "longer than 63 bytes");
	expect_error("search_path: {app: 1}\n", "1:14",
		     "search_path must be a string, not a mapping");
	expect_error("search_path: [app, [public]]\n", "1:20",
		     "search_path must be a string, not a list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_protected),
	    cmocka_unit_test(test_empty_file_is_defaults),
	    cmocka_unit_test(test_unknown_keys),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_wrong_node_kind),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_credential),
	    cmocka_unit_test(test_search_path),
	    cmocka_unit_test(test_replica_mask),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
