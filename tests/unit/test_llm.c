/*
 * llm/: the pure parts of a call. The request body in both wire formats,
 * the answer's extraction, the error messages, the retry rule and the
 * cache key's stability. The HTTP itself is tests/suites/llm.sh's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "llm/llm_internal.h"

static llm_opts opts(llm_provider p)
{
	llm_opts o;
	memset(&o, 0, sizeof(o));
	o.provider = p;
	o.model = "m1";
	o.base_url = "https://api.example.test/";
	o.api_key_env = "TEST_LLM_UNIT_KEY";
	o.timeout_s = 60;
	o.max_tokens = 4096;
	o.temperature = 0.5;
	o.cache_dir = "unused";
	return o;
}

static json_t *schema(void)
{
	return json_pack("{s:s, s:{s:{s:s}}, s:[s], s:b}", "type", "object",
			 "properties", "risk", "type", "string", "required",
			 "risk", "additionalProperties", 0);
}

static void test_request_anthropic(void **state)
{
	(void)state;
	llm_opts o = opts(LLM_ANTHROPIC);
	json_t *s = schema();
	json_t *b = llm_request_body(&o, "sys", "usr", s);
	assert_string_equal(json_string_value(json_object_get(b, "model")),
			    "m1");
	assert_int_equal(json_integer_value(json_object_get(b, "max_tokens")),
			 4096);
	assert_string_equal(json_string_value(json_object_get(b, "system")),
			    "sys");
	/* Never a sampling parameter to Anthropic. */
	assert_null(json_object_get(b, "temperature"));
	json_t *m = json_array_get(json_object_get(b, "messages"), 0);
	assert_int_equal(json_array_size(json_object_get(b, "messages")), 1);
	assert_string_equal(json_string_value(json_object_get(m, "role")),
			    "user");
	json_t *f =
	    json_object_get(json_object_get(b, "output_config"), "format");
	assert_string_equal(json_string_value(json_object_get(f, "type")),
			    "json_schema");
	assert_true(json_equal(json_object_get(f, "schema"), s));
	char *url = llm_request_url(&o);
	assert_string_equal(url, "https://api.example.test/v1/messages");
	free(url);
	json_decref(b);
	json_decref(s);
}

static void test_request_openai(void **state)
{
	(void)state;
	llm_opts o = opts(LLM_OPENAI);
	json_t *s = schema();
	json_t *b = llm_request_body(&o, "sys", "usr", s);
	json_t *msgs = json_object_get(b, "messages");
	assert_int_equal(json_array_size(msgs), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(msgs, 0), "role")),
	    "system");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(msgs, 1), "content")),
			    "usr");
	assert_true(json_real_value(json_object_get(b, "temperature")) == 0.5);
	json_t *js = json_object_get(json_object_get(b, "response_format"),
				     "json_schema");
	assert_true(json_is_true(json_object_get(js, "strict")));
	assert_true(json_equal(json_object_get(js, "schema"), s));
	json_decref(b);

	/* temperature < 0: not sent. */
	o.temperature = -1;
	b = llm_request_body(&o, "sys", "usr", s);
	assert_null(json_object_get(b, "temperature"));
	json_decref(b);

	o.base_url = "http://127.0.0.1:11434/v1";
	char *url = llm_request_url(&o);
	assert_string_equal(url, "http://127.0.0.1:11434/v1/chat/completions");
	free(url);
	json_decref(s);
}

static void test_extract(void **state)
{
	(void)state;
	llm_opts a = opts(LLM_ANTHROPIC), oa = opts(LLM_OPENAI);
	json_t *r = NULL;
	long in, out;
	error e = ERROR_INIT;

	assert_int_equal(
	    llm_extract_reply(&a,
			      "{\"content\":[{\"type\":\"thinking\"},{\"type\":"
			      "\"text\",\"text\":\"{\\\"risk\\\":\\\"low\\\"}"
			      "\"}],\"stop_reason\":\"end_turn\",\"usage\":{"
			      "\"input_tokens\":7,\"output_tokens\":3}}",
			      &r, &in, &out, &e),
	    0);
	assert_string_equal(json_string_value(json_object_get(r, "risk")),
			    "low");
	assert_int_equal(in, 7);
	assert_int_equal(out, 3);
	json_decref(r);

	assert_int_equal(
	    llm_extract_reply(&oa,
			      "{\"choices\":[{\"finish_reason\":\"stop\","
			      "\"message\":{\"content\":\"{\\\"risk\\\":"
			      "\\\"high\\\"}\"}}]}",
			      &r, &in, &out, &e),
	    0);
	assert_string_equal(json_string_value(json_object_get(r, "risk")),
			    "high");
	assert_int_equal(in, -1);
	json_decref(r);

	/* Malformed JSON: EXIT_DB, quoting the text. */
	assert_int_equal(
	    llm_extract_reply(&oa,
			      "{\"choices\":[{\"message\":{\"content\":"
			      "\"{risk: low\"}}]}",
			      &r, &in, &out, &e),
	    -1);
	assert_null(r);
	assert_int_equal(e.code, EXIT_DB);
	assert_non_null(strstr(e.msg, "malformed JSON"));
	assert_non_null(strstr(e.msg, "{risk: low"));

	/* JSON, but not an object. */
	assert_int_equal(llm_extract_reply(&a,
					   "{\"content\":[{\"type\":\"text\","
					   "\"text\":\"[1,2]\"}]}",
					   &r, &in, &out, &e),
			 -1);
	assert_non_null(strstr(e.msg, "not an object"));

	/* Cut at max_tokens; a refusal. */
	assert_int_equal(llm_extract_reply(&a,
					   "{\"content\":[{\"type\":\"text\","
					   "\"text\":\"{\"}],\"stop_reason\":"
					   "\"max_tokens\"}",
					   &r, &in, &out, &e),
			 -1);
	assert_non_null(strstr(e.msg, "cut at max_tokens (4096)"));
	assert_int_equal(
	    llm_extract_reply(&oa,
			      "{\"choices\":[{\"message\":{\"content\":null,"
			      "\"refusal\":\"no\"}}]}",
			      &r, &in, &out, &e),
	    -1);
	assert_non_null(strstr(e.msg, "refused: no"));
	error_clear(&e);
}

static void answer(http_resp *r, long status, const char *body)
{
	r->status = status;
	strbuf_reset(&r->body);
	strbuf_adds(&r->body, body);
	r->attempts = 1;
}

static void test_errors_and_retry(void **state)
{
	(void)state;
	llm_opts a = opts(LLM_ANTHROPIC), oa = opts(LLM_OPENAI);
	http_resp r = HTTP_RESP_INIT;
	error e = ERROR_INIT;
	setenv("TEST_LLM_UNIT_KEY", "sk-unit-secret", 1);

	answer(&r, 401,
	       "{\"type\":\"error\",\"error\":{\"type\":\"authentication_"
	       "error\",\"message\":\"bad key sk-unit-secret\"}}");
	assert_false(llm_should_retry(&r));
	assert_int_equal(llm_answer_error(&a, &r, &e), -1);
	assert_int_equal(e.code, EXIT_DB);
	assert_non_null(strstr(e.msg, "TEST_LLM_UNIT_KEY was refused (401 "
				      "authentication_error): bad key"));
	assert_null(strstr(e.msg, "sk-unit-secret"));

	answer(&r, 429,
	       "{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_"
	       "quota\",\"code\":\"insufficient_quota\"}}");
	assert_false(llm_should_retry(&r));
	llm_answer_error(&oa, &r, &e);
	assert_non_null(strstr(e.msg, "not retried"));

	answer(&r, 429,
	       "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
	       "\"message\":\"spend\",\"details\":{\"error_code\":"
	       "\"enforced_spend_limit_reached\"}}}");
	assert_false(llm_should_retry(&r));

	answer(&r, 429, "{\"error\":{\"type\":\"rate_limit_error\"}}");
	assert_true(llm_should_retry(&r));
	long retried[] = {408, 409, 500, 503, 529};
	for (size_t i = 0; i < sizeof(retried) / sizeof(*retried); i++) {
		answer(&r, retried[i], "not json");
		assert_true(llm_should_retry(&r));
	}
	answer(&r, 400, "{}");
	assert_false(llm_should_retry(&r));
	llm_answer_error(&a, &r, &e);
	assert_non_null(strstr(e.msg, "anthropic answered HTTP 400"));

	unsetenv("TEST_LLM_UNIT_KEY");
	error_clear(&e);
	http_resp_release(&r);
}

static void test_cache_key(void **state)
{
	(void)state;
	llm_opts o = opts(LLM_OPENAI);
	json_t *s1 = schema();
	/* The same schema built in another key order. */
	json_t *s2 =
	    json_pack("{s:b, s:[s], s:{s:{s:s}}, s:s}", "additionalProperties",
		      0, "required", "risk", "properties", "risk", "type",
		      "string", "type", "object");
	char *k1 = llm_cache_key(&o, "sys", "usr", s1);
	char *k2 = llm_cache_key(&o, "sys", "usr", s2);
	assert_int_equal(strlen(k1), 64);
	assert_string_equal(k1, k2);
	free(k2);

	/* Each input changes the key. */
	const char *other[5];
	llm_opts m = o;
	m.model = "m2";
	other[0] = llm_cache_key(&m, "sys", "usr", s1);
	other[1] = llm_cache_key(&o, "sys2", "usr", s1);
	other[2] = llm_cache_key(&o, "sys", "usr2", s1);
	m = o;
	m.temperature = 0.7;
	other[3] = llm_cache_key(&m, "sys", "usr", s1);
	m = o;
	m.base_url = "https://other.example.test";
	other[4] = llm_cache_key(&m, "sys", "usr", s1);
	for (int i = 0; i < 5; i++) {
		assert_string_not_equal(other[i], k1);
		free((char *)other[i]);
	}

	/* Anthropic is sent no temperature: it does not split the cache. */
	llm_opts a = opts(LLM_ANTHROPIC), a2 = a;
	a2.temperature = 1.5;
	char *ka = llm_cache_key(&a, "sys", "usr", s1);
	char *ka2 = llm_cache_key(&a2, "sys", "usr", s1);
	assert_string_equal(ka, ka2);
	assert_string_not_equal(ka, k1);
	free(ka);
	free(ka2);
	free(k1);
	json_decref(s1);
	json_decref(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_anthropic),
	    cmocka_unit_test(test_request_openai),
	    cmocka_unit_test(test_extract),
	    cmocka_unit_test(test_errors_and_retry),
	    cmocka_unit_test(test_cache_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
