/*
 * Internal to llm/ (and its unit test): the pure parts of a call, the
 * request body, the answer's extraction, the error messages and the
 * cache, kept apart from the HTTP so that they can be tested alone.
 */
#ifndef SCHEMIG_LLM_INTERNAL_H
#define SCHEMIG_LLM_INTERNAL_H

#include "../net/http.h"
#include "llm.h"

/* The route under the base URL: "/v1/messages" or "/v1/chat/completions"
 * ("/v1" left out when the base URL already ends with it). */
char *llm_request_url(const llm_opts *o);

/* The caller's system prompt followed by each prompt file, under a line
 * "# Team prompt: FILE". EXIT_USAGE naming a file that cannot be read. */
int llm_system_text(const llm_opts *o, const char *system, char **out,
		    error *e);

/* The JSON body of the request in the provider's wire format (new
 * reference). */
json_t *llm_request_body(const llm_opts *o, const char *system,
			 const char *user, const json_t *schema);

/*
 * The JSON object in a 200 answer's body: Anthropic's first text block,
 * OpenAI's choices[0].message.content. Token counts go to *in / *out
 * (-1 when absent). EXIT_DB when the answer was cut at max_tokens, the
 * model refused, or its text is not a JSON object (the message quotes its
 * first 200 characters).
 */
int llm_extract_reply(const llm_opts *o, const char *body, json_t **reply,
		      long *in, long *out, error *e);

/* The message for an answer that is not 200, in `e` (EXIT_DB); returns
 * -1. Names the key's variable on 401/403, never the key. */
int llm_answer_error(const llm_opts *o, const http_resp *r, error *e);

/* Whether http_do retries this answer: 408, 409, 429 and >= 500, but not
 * an exhausted quota or spend limit. */
bool llm_should_retry(const http_resp *r);

/* The hex SHA-256 of a canonical JSON of what decides the answer:
 * provider, model, base_url, system (prompt files included), user,
 * schema, max_tokens, temperature. */
char *llm_cache_key(const llm_opts *o, const char *system, const char *user,
		    const json_t *schema);

/* 1 and *reply when cache_dir/KEY.json holds a reply, 0 when not (a
 * damaged entry counts as absent). */
int llm_cache_get(const llm_opts *o, const char *key, json_t **reply,
		  llm_meta *meta);

/* Store a reply as cache_dir/KEY.json (0600; directories made 0700). */
int llm_cache_put(const llm_opts *o, const char *key, const json_t *reply,
		  const llm_meta *meta, error *e);

#endif
