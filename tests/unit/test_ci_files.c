/*
 * The CI files users include: action.yml (a container GitHub Action) and
 * ci/gitlab-ci.yml (a GitLab CI template) parse as YAML, have the shape
 * their platforms require, use every input they declare, and never
 * splice an input into a shell script (script injection): inputs reach
 * the scripts through env only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static yaml_document_t *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)",
			 path);
	yaml_parser_t parser;
	yaml_document_t *doc = malloc(sizeof(*doc));
	assert_non_null(doc);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, doc))
		fail_msg("%s:%zu: %s", path, parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "YAML error");
	yaml_parser_delete(&parser);
	fclose(f);
	assert_non_null(yaml_document_get_root_node(doc));
	return doc;
}

static void unload(yaml_document_t *doc)
{
	yaml_document_delete(doc);
	free(doc);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		   ? (const char *)n->data.scalar.value
		   : NULL;
}

/* The value of `key` in mapping `map`, or NULL. */
static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(d, p->key));
		if (k && !strcmp(k, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

/* Does any scalar of the document contain `needle`? */
static bool mentions(yaml_document_t *d, const char *needle)
{
	for (yaml_node_t *n = d->nodes.start; n < d->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE &&
		    strstr((const char *)n->data.scalar.value, needle))
			return true;
	return false;
}

static void test_action(void **state)
{
	(void)state;
	yaml_document_t *d = load("action.yml");
	yaml_node_t *root = yaml_document_get_root_node(d);
	assert_non_null(scalar(get(d, root, "name")));
	assert_non_null(scalar(get(d, root, "description")));
	yaml_node_t *inputs = get(d, root, "inputs");
	assert_non_null(inputs);
	assert_int_equal(inputs->type, YAML_MAPPING_NODE);

	/* The inputs the issue asks for, each described and used. */
	const char *wanted[] = {"command", "environment", "working-directory",
				"token", "fail-on-breaking"};
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!get(d, inputs, wanted[i]))
			fail_msg("action.yml: no input %s", wanted[i]);
	for (yaml_node_pair_t *p = inputs->data.mapping.pairs.start;
	     p < inputs->data.mapping.pairs.top; p++) {
		const char *name = scalar(yaml_document_get_node(d, p->key));
		yaml_node_t *in = yaml_document_get_node(d, p->value);
		assert_non_null(name);
		if (!scalar(get(d, in, "description")))
			fail_msg("action.yml: input %s has no description",
				 name);
		char ref[128];
		snprintf(ref, sizeof(ref), "inputs.%s", name);
		if (!mentions(d, ref))
			fail_msg("action.yml: input %s is never used", name);
	}

	/* A container action built from the repository's Dockerfile: the
	 * inputs reach its entry point as environment variables only,
	 * each mapped whole (an expression is never part of a command). */
	yaml_node_t *runs = get(d, root, "runs");
	assert_string_equal(scalar(get(d, runs, "using")), "docker");
	assert_string_equal(scalar(get(d, runs, "image")), "Dockerfile");
	assert_null(get(d, runs, "args"));
	yaml_node_t *env = get(d, runs, "env");
	assert_non_null(env);
	assert_int_equal(env->type, YAML_MAPPING_NODE);
	int nenv = 0;
	for (yaml_node_pair_t *p = env->data.mapping.pairs.start;
	     p < env->data.mapping.pairs.top; p++) {
		const char *v = scalar(yaml_document_get_node(d, p->value));
		assert_non_null(v);
		if (strncmp(v, "${{ inputs.", 11) || strstr(v + 3, "${{") ||
		    strcmp(v + strlen(v) - 3, " }}"))
			fail_msg("action.yml: env value is not one input: %s",
				 v);
		nenv++;
	}
	assert_int_equal(nenv, 5);
	unload(d);
}

static void test_gitlab_template(void **state)
{
	(void)state;
	yaml_document_t *d = load("ci/gitlab-ci.yml");
	yaml_node_t *root = yaml_document_get_root_node(d);
	yaml_node_t *job = get(d, root, "schemig:pr");
	assert_non_null(job);
	yaml_node_t *script = get(d, job, "script");
	assert_non_null(script);
	assert_int_equal(script->type, YAML_SEQUENCE_NODE);
	yaml_node_t *rules = get(d, job, "rules");
	assert_non_null(rules);
	assert_int_equal(rules->type, YAML_SEQUENCE_NODE);
	assert_true(mentions(d, "merge_request_event"));
	assert_true(mentions(d, "git schemig ci pr"));
	assert_true(mentions(d, "install-deps.sh --runtime"));
	/* The hidden job it extends exists. */
	const char *ext = scalar(get(d, job, "extends"));
	assert_non_null(ext);
	assert_non_null(get(d, root, ext));
	unload(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_action),
	    cmocka_unit_test(test_gitlab_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
