#!/usr/bin/env python3
"""A stand-in for the hosted model APIs, for tests/suites/llm.sh: it speaks
Anthropic's Messages API (POST /v1/messages) and the OpenAI-compatible chat
completions (POST /v1/chat/completions), since no real provider can be
reached from the tests.

    fake_llm.py PORTFILE LOGFILE

Listens on 127.0.0.1 (a free port, written to PORTFILE) and appends one JSON
line per request to LOGFILE: path, the headers a test checks (x-api-key,
authorization, anthropic-version, content-type) and the body.

The request's model name picks the scripted answer:
  ok           a valid structured reply: {"file": "001_add.sql", "risk": "low",
               "seen": <the user text>}
  malformed    the model's text is not JSON
  retry429     first request 429 (rate limit, retry-after: 1), then ok
  overloaded   first request 529 overloaded_error (503 on the OpenAI route),
               then ok
  unauth       401 authentication_error (OpenAI: invalid_api_key)
  quota        429 that must not be retried: Anthropic's
               enforced_spend_limit_reached, OpenAI's insufficient_quota
  hang         answers nothing for 20 s (longer than the tests' timeout)
  cut          stop_reason max_tokens / finish_reason length
  echokey      401 whose message quotes the key it was sent
Counts are kept per (route, model), so "then ok" holds for each provider.

Plan-shaped answers, for tests/suites/draft.sh (`plan --llm`): the user
text is draft/'s JSON (engine_plan, changes, ...), the answer follows its
schema (summary, steps, renames).
  plan-ok       the engine's own steps, each with an explanation
  plan-repair   first a DROP TABLE public.audit slipped in; once the request
               carries previous_attempt (a repair round), the engine's steps
  plan-inject   always that DROP TABLE public.audit (never repaired)
  plan-malformed  the model's text is not JSON
  plan-miss     the engine's steps without the last one
  plan-lock     the engine's steps with CONCURRENTLY taken out (a plain
               CREATE INDEX, in a transaction)
  plan-429      first request 429 (retry-after: 1), then as plan-ok
  plan-hostile  as plan-ok, with a summary and explanations full of markup
               (mentions, links, images, HTML, a cell break, a new line)
  plan-rename   ALTER TABLE public.users RENAME COLUMN name TO full_name,
               with its rollback, the rename listed and a sample row
  plan-rename-dropadd  the rename declared, but made by a DROP and an ADD
  plan-split    users.name split into first_name and last_name: add both,
               an UPDATE that fills them (batch_size 2000), drop name; a
               sample row ('Ada Lovelace' -> 'Ada', 'Lovelace')
  plan-split-wrong    the same UPDATE with first and last swapped: the
               sample row shows it
  plan-split-nosample the same plan as plan-split without its sample row

Advice-shaped answers, for tests/suites/advice.sh (an escalated `apply
--llm`): the user text is exec/apply_advice.c's JSON (steps, failure,
rolled_back, remaining_to_source/target, environment), the answer follows
its schema (summary, actions, risk).
  advice-ok     a valid answer whose summary names the failed step and its
               SQLSTATE as it read them, with an escape sequence in it (a
               terminal must never get it raw), and two actions
  advice-bad    an answer outside the schema (summary a number, no risk)
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, logfile = sys.argv[1], sys.argv[2]
lock = threading.Lock()
counts = {}
HEADERS = ("x-api-key", "authorization", "anthropic-version", "content-type")


def reply_object(req):
    user = ""
    for m in req.get("messages", []):
        if m.get("role") == "user":
            user = m.get("content", "")
    return {"file": "001_add.sql", "risk": "low", "seen": user}


def engine_steps(req):
    user = ""
    for m in req.get("messages", []):
        if m.get("role") == "user":
            user = m.get("content", "")
    data = json.loads(user)
    steps = []
    for s in data["engine_plan"]["steps"]:
        steps.append({"kind": s["kind"], "object": s["object"],
                      "forward": s["forward"],
                      "rollback": s.get("rollback") or "",
                      "transactional": s["transactional"],
                      "explanation": "as the engine has it: " + s["kind"]})
    return data, steps


# Markup a pull-request comment must not render: a mention, a link, an
# image, raw HTML, emphasis, a table cell break and a new line.
HOSTILE = ("ok @octocat see [here](https://evil.example/x) "
           "![i](https://evil.example/i.png) <img src=x onerror=alert(1)> "
           "**bold** a|b\n# heading")


def ada_sample(new_name):
    """A sample row of public.users whose name must survive as new_name."""
    return {"table": "public.users",
            "before": [{"column": "id", "value": "1"}, {"column": "name", "value": "Ada Lovelace"}],
            "after": [{"column": "id", "value": "1"}, {"column": new_name, "value": "Ada Lovelace"}]}


def plan_answer(req, model):
    data, steps = engine_steps(req)
    inject = {"kind": "cleanup", "object": "public.audit",
              "forward": "DROP TABLE public.audit;\n", "rollback": "",
              "transactional": True,
              "explanation": "the schema file's comment asked for it"}
    renames = []
    samples = []
    if model == "plan-repair" and "previous_attempt" not in data:
        steps.append(inject)
    elif model == "plan-inject":
        steps.append(inject)
    elif model == "plan-miss":
        steps = steps[:-1]
    elif model == "plan-lock":
        for s in steps:
            if "CONCURRENTLY" in s["forward"]:
                s["forward"] = s["forward"].replace(" CONCURRENTLY", "")
                s["rollback"] = s["rollback"].replace(" CONCURRENTLY", "")
                s["transactional"] = True
    elif model == "plan-rename":
        steps = [{"kind": "rename_column", "object": "public.users",
                  "forward": "ALTER TABLE public.users RENAME COLUMN name TO full_name;\n",
                  "rollback": "ALTER TABLE public.users RENAME COLUMN full_name TO name;\n",
                  "transactional": True,
                  "explanation": "name dropped and full_name added with the same type: a rename keeps the data"}]
        renames = [{"from": "public.users.name", "to": "public.users.full_name",
                    "reason": "same type, same position, one dropped and one added"}]
        samples = [ada_sample("full_name")]
    elif model == "plan-rename-dropadd":
        steps = [{"kind": "rename_column", "object": "public.users",
                  "forward": "ALTER TABLE public.users DROP COLUMN name;\nALTER TABLE public.users ADD COLUMN full_name text;\n",
                  "rollback": "ALTER TABLE public.users DROP COLUMN full_name;\nALTER TABLE public.users ADD COLUMN name text;\n",
                  "transactional": True, "explanation": "a rename"}]
        renames = [{"from": "public.users.name", "to": "public.users.full_name",
                    "reason": "same type"}]
        samples = [ada_sample("full_name")]
    elif model.startswith("plan-split"):
        first, last = "first_name", "last_name"
        if model == "plan-split-wrong":
            first, last = last, first
        steps = [
            {"kind": "add_column", "object": "public.users",
             "forward": "ALTER TABLE public.users ADD COLUMN first_name text, ADD COLUMN last_name text;\n",
             "rollback": "ALTER TABLE public.users DROP COLUMN first_name, DROP COLUMN last_name;\n",
             "transactional": True, "explanation": "the two new columns, nullable: catalog only"},
            {"kind": "backfill", "object": "public.users",
             "forward": "UPDATE public.users SET %s = split_part(name, ' ', 1), %s = substr(name, strpos(name, ' ') + 1) WHERE name IS NOT NULL;\n" % (first, last),
             "rollback": "UPDATE public.users SET first_name = NULL, last_name = NULL;\n",
             "transactional": True, "batch_size": 2000,
             "explanation": "the first word is the first name, the rest the last name"},
            {"kind": "drop_column", "object": "public.users",
             "forward": "ALTER TABLE public.users DROP COLUMN name;\n",
             "rollback": "ALTER TABLE public.users ADD COLUMN name text;\nUPDATE public.users SET name = first_name || ' ' || last_name;\n",
             "transactional": True, "explanation": "name is now in the two columns; the rollback joins them again"}]
        if model != "plan-split-nosample":
            samples = [{"table": "public.users",
                        "before": [{"column": "id", "value": "1"}, {"column": "name", "value": "Ada Lovelace"}],
                        "after": [{"column": "id", "value": "1"}, {"column": "first_name", "value": "Ada"},
                                  {"column": "last_name", "value": "Lovelace"}]}]
    summary = "drafted by " + model
    if model == "plan-hostile":
        summary = HOSTILE
        for s in steps:
            s["explanation"] = "step " + HOSTILE
    for s in steps:
        s.setdefault("batch_size", 0)
    return {"summary": summary, "steps": steps, "renames": renames,
            "samples": samples}


# --- advice (tests/suites/advice.sh) -----------------------------------
def advice_answer(req, model):
    user = ""
    for m in req.get("messages", []):
        if m.get("role") == "user":
            user = m.get("content", "")
    if model == "advice-bad":
        return {"summary": 42, "actions": []}
    f = json.loads(user).get("failure") or {}
    return {"summary": "step %s failed with %s \x1b[2J(cleared?)"
                       % (f.get("step"), f.get("sqlstate")),
            "actions": [{"description": "Read the failed step's table",
                         "sql": "SELECT count(*) FROM accounts;"},
                        {"description": "Decide with the team", "sql": ""}],
            "risk": "advice-risk: medium"}
# --- end of advice ------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, anth, status, etype, msg, code=None, headers=()):
        if anth:
            err = {"type": etype, "message": msg}
            if code:
                err["details"] = {"error_code": code}
            self.send(status, {"type": "error", "error": err,
                               "request_id": "req_fake"}, headers)
        else:
            self.send(status, {"error": {"message": msg, "type": etype,
                                         "code": code}}, headers)

    def answer(self, anth, model, text, stop=None):
        if anth:
            self.send(200, {"id": "msg_fake", "type": "message",
                            "role": "assistant", "model": model,
                            "content": [{"type": "text", "text": text}],
                            "stop_reason": stop or "end_turn",
                            "usage": {"input_tokens": 31,
                                      "output_tokens": 12}})
        else:
            self.send(200, {"id": "chatcmpl-fake", "object": "chat.completion",
                            "model": model,
                            "choices": [{"index": 0, "finish_reason": stop or "stop",
                                         "message": {"role": "assistant",
                                                     "content": text}}],
                            "usage": {"prompt_tokens": 31,
                                      "completion_tokens": 12}})

    def do_POST(self):
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n).decode()
        try:
            req = json.loads(raw)
        except ValueError:
            req = {"unparsed": raw}
        entry = {"path": self.path, "body": req,
                 "headers": {h: self.headers.get(h) for h in HEADERS
                             if self.headers.get(h) is not None}}
        with lock:
            with open(logfile, "a") as f:
                f.write(json.dumps(entry) + "\n")
            model = req.get("model", "") if isinstance(req, dict) else ""
            key = (self.path, model)
            counts[key] = counts.get(key, 0) + 1
            nth = counts[key]
        anth = self.path == "/v1/messages"
        if not anth and self.path != "/v1/chat/completions":
            self.error(anth, 404, "not_found_error", "no such route")
            return
        if model == "plan-malformed":
            self.answer(anth, model, '{"summary": "x", "steps": [')
        elif model == "plan-429" and nth == 1:
            self.error(anth, 429, "rate_limit_error" if anth else "requests",
                       "Rate limited, slow down", None,
                       [("retry-after", "1")])
        elif model.startswith("advice-"):
            self.answer(anth, model, json.dumps(advice_answer(req, model)))
        elif model.startswith("plan-"):
            self.answer(anth, model, json.dumps(plan_answer(req, model)))
        elif model == "ok":
            self.answer(anth, model, json.dumps(reply_object(req)))
        elif model == "malformed":
            self.answer(anth, model, '{"file": "001_add.sql", "risk": lo')
        elif model == "retry429" and nth == 1:
            self.error(anth, 429, "rate_limit_error" if anth else "requests",
                       "Rate limited, slow down", None,
                       [("retry-after", "1")])
        elif model == "overloaded" and nth == 1:
            if anth:
                self.error(anth, 529, "overloaded_error", "Overloaded")
            else:
                self.error(anth, 503, "server_error", "Overloaded")
        elif model in ("retry429", "overloaded"):
            self.answer(anth, model, json.dumps(reply_object(req)))
        elif model == "unauth":
            self.error(anth, 401, "authentication_error", "invalid x-api-key",
                       None if anth else "invalid_api_key")
        elif model == "echokey":
            sent = self.headers.get("x-api-key") or \
                (self.headers.get("authorization") or "")[len("Bearer "):]
            self.error(anth, 401, "authentication_error",
                       "invalid key " + sent, None if anth else "invalid_api_key")
        elif model == "quota":
            if anth:
                self.error(anth, 429, "rate_limit_error",
                           "You have reached your spend limit",
                           "enforced_spend_limit_reached",
                           [("retry-after", "1")])
            else:
                self.error(anth, 429, "insufficient_quota",
                           "You exceeded your current quota",
                           "insufficient_quota")
        elif model == "hang":
            time.sleep(20)
            self.answer(anth, model, json.dumps(reply_object(req)))
        elif model == "cut":
            self.answer(anth, model, '{"file": "0', "max_tokens" if anth else "length")
        else:
            self.error(anth, 404, "not_found_error", "model not found: " + model)


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that gave up (the "hang" model outlives its timeout)
        # closes the socket before the late answer: expected, not news.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
