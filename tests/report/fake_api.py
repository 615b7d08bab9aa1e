#!/usr/bin/env python3
"""A stand-in for the GitHub and GitLab APIs, for tests/suites/report.sh, ci.sh,
apply.sh and guardrails.sh.

    fake_api.py PORTFILE LOGFILE [--fail 502:2|429:1|403] [--page-size N]
                [--seed N] [--user LOGIN] [--user-forbidden]
                [--foreign-marker] [--link-origin URL] [--huge]

Listens on 127.0.0.1 (a free port, written to PORTFILE), keeps comments in
memory, and appends one JSON line per request to LOGFILE: method, path,
the headers a test checks and the body. --fail answers the first N
requests with that status (403 without N: every request; 403:N: a rate
limit, with X-RateLimit-Remaining: 0); --seed starts with N
unrelated comments, paginated --page-size at a time (Link / X-Next-Page).

GET /user answers as the token's user (--user, default schemig-bot, id 77);
comments record their author as GitHub ("user": login, type) and GitLab
("author": id) do. --user-forbidden answers /user with 403, as GitHub does
for an Actions GITHUB_TOKEN, whose comments are by github-actions[bot].
--foreign-marker seeds first a comment holding the report's marker written
by someone else (mallory, id 666). --link-origin makes the Link next page
point to another origin; --huge answers a list with a 9 MiB body.
POST /hook... answers 200: the stand-in for apply's audit.webhook.

--fixtures DIR answers any other GET from the file DIR/PATH.json (PATH the
request's path without its query), read at each request so a test can
write it while the stand-in runs: a pull request, its reviews, an Actions
run, a merge request and its approvals. A list is paginated as comments
are (per_page, --page-size, Link).
"""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

portfile, logfile = sys.argv[1], sys.argv[2]
opts = sys.argv[3:]
fail_status, fail_left = 0, 0
page_size, seed = 100, 0
login, forbidden, foreign, link_origin, huge = "schemig-bot", False, False, None, False
fixtures = None
for i, a in enumerate(opts):
    if a == "--fail":
        s, _, n = opts[i + 1].partition(":")
        fail_status, fail_left = int(s), int(n) if n else 10**9
    elif a == "--page-size":
        page_size = int(opts[i + 1])
    elif a == "--seed":
        seed = int(opts[i + 1])
    elif a == "--user":
        login = opts[i + 1]
    elif a == "--user-forbidden":
        forbidden = True
    elif a == "--foreign-marker":
        foreign = True
    elif a == "--link-origin":
        link_origin = opts[i + 1]
    elif a == "--huge":
        huge = True
    elif a == "--fixtures":
        fixtures = os.path.realpath(opts[i + 1])


def author(name, uid, kind):
    return {"user": {"login": name, "id": uid, "type": kind},
            "author": {"id": uid, "username": name}}


MALLORY = author("mallory", 666, "User")
ME = author("github-actions[bot]", 41898282, "Bot") if forbidden \
    else author(login, 77, "User")
comments = []
if foreign:
    comments.append(dict(id=90, body="<!-- git-schemig:report -->\nnot ours",
                         **MALLORY))
comments += [dict(id=100 + k, body="unrelated %d" % k, **MALLORY)
             for k in range(seed)]
next_id = [1000]
HEADERS = ("authorization", "accept", "x-github-api-version",
           "private-token", "job-token", "content-type")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, obj=None, headers=()):
        data = json.dumps(obj if obj is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except BrokenPipeError:
            # The client stops reading a too-large answer on purpose.
            pass

    def handle_any(self):
        global fail_left
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else None
        with open(logfile, "a") as f:
            f.write(json.dumps({
                "method": self.command, "path": self.path,
                "headers": {h: self.headers.get(h) for h in HEADERS
                            if self.headers.get(h) is not None},
                "body": json.loads(body) if body else None}) + "\n")
        if fail_left > 0:
            fail_left -= 1
            hdr = [("Retry-After", "0")] if fail_status == 429 else []
            if fail_status == 403 and fail_left < 10**8:
                # a rate limit dressed as 403, as GitHub sends it
                hdr = [("X-RateLimit-Remaining", "0")]
            return self.answer(fail_status, {"message": "fake failure"}, hdr)
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        path = url.path
        gh_list = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/\d+/comments", path)
        gh_one = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/comments/(\d+)", path)
        gl_list = re.fullmatch(r"/projects/[^/]+/merge_requests/\d+/notes", path)
        gl_one = re.fullmatch(r"/projects/[^/]+/merge_requests/\d+/notes/(\d+)", path)
        if self.command == "GET" and path == "/user":
            if forbidden:
                return self.answer(403, {
                    "message": "Resource not accessible by integration"})
            return self.answer(200, {"login": login, "id": 77, "type": "User",
                                     "username": login})
        if self.command == "GET" and (gh_list or gl_list) and huge:
            return self.answer(200, [{"id": k, "body": "x" * 1000}
                                     for k in range(9 * 1024)])
        if self.command == "GET" and (gh_list or gl_list):
            page = int(q.get("page", ["1"])[0])
            per = min(page_size, int(q.get("per_page", ["30"])[0]))
            chunk = comments[(page - 1) * per:page * per]
            hdr = []
            if page * per < len(comments):
                if gh_list:
                    nxt = "%s%s?per_page=%d&page=%d" % (
                        link_origin or "http://" + self.headers.get("Host"),
                        path, per, page + 1)
                    hdr.append(("Link", '<%s>; rel="next"' % nxt))
                else:
                    hdr.append(("X-Next-Page", str(page + 1)))
            else:
                hdr.append(("X-Next-Page", ""))
            return self.answer(200, chunk, hdr)
        if self.command == "POST" and (gh_list or gl_list):
            c = dict(id=next_id[0], body=json.loads(body)["body"], **ME)
            next_id[0] += 1
            comments.append(c)
            return self.answer(201, c)
        if self.command == "POST" and path.startswith("/hook"):
            return self.answer(200, {"ok": True})
        one = gh_one or gl_one
        if self.command in ("PATCH", "PUT") and one:
            for c in comments:
                if c["id"] == int(one.group(1)):
                    c["body"] = json.loads(body)["body"]
                    return self.answer(200, c)
            return self.answer(404, {"message": "Not Found"})
        if self.command == "GET" and fixtures:
            return self.fixture(path, q)
        return self.answer(404, {"message": "Not Found"})

    def fixture(self, path, q):
        f = os.path.realpath(os.path.join(fixtures, path.lstrip("/") + ".json"))
        if not f.startswith(fixtures + os.sep) or not os.path.isfile(f):
            return self.answer(404, {"message": "Not Found"})
        with open(f) as fh:
            obj = json.load(fh)
        if not isinstance(obj, list):
            return self.answer(200, obj)
        page = int(q.get("page", ["1"])[0])
        per = min(page_size, int(q.get("per_page", ["30"])[0]))
        hdr = []
        if page * per < len(obj):
            hdr.append(("Link", '<http://%s%s?per_page=%d&page=%d>; rel="next"'
                        % (self.headers.get("Host"), path, per, page + 1)))
        return self.answer(200, obj[(page - 1) * per:page * per], hdr)

    do_GET = do_POST = do_PATCH = do_PUT = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
