#!/usr/bin/env python3
# The transaction structure of a script an emitter generated, checked
# against its plan (used by tests/suites/emit_*.sh):
#
#   check_tx.py SCRIPT PLAN.json up|down
#
# Prints one problem per line, nothing when fine: every BEGIN is followed
# by SET LOCAL lock_timeout and closed by COMMIT before the next BEGIN; no
# CONCURRENTLY statement inside one; every statement outside a transaction
# (a non-transactional step) comes right after SET statement_timeout = 0;
# exactly one BEGIN per transactional step of the plan (forward, or the
# steps with a transactional rollback for "down").
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
plan = json.load(open(sys.argv[2], encoding="utf-8"))
down = sys.argv[3] == "down"

# Split into statements the way the server's lexer would: quotes,
# E'' strings, "identifiers", $tag$ bodies and comments hide ';'.
def statements(t):
    out, cur, i, n = [], [], 0, len(t)
    while i < n:
        c = t[i]
        if t.startswith("--", i):
            j = t.find("\n", i)
            i = n if j < 0 else j
            continue
        if t.startswith("/*", i):
            i = t.index("*/", i) + 2
            continue
        if c == "'":
            esc = i > 0 and t[i - 1] in "eE" and (i < 2 or not (t[i - 2].isalnum() or t[i - 2] == "_"))
            j = i + 1
            while True:
                if esc and t[j] == "\\":
                    j += 2
                elif t[j] == "'" and j + 1 < n and t[j + 1] == "'":
                    j += 2
                elif t[j] == "'":
                    break
                else:
                    j += 1
            cur.append(t[i:j + 1]); i = j + 1
            continue
        if c == '"':
            j = i + 1
            while not (t[j] == '"' and t[j + 1:j + 2] != '"'):
                j += 2 if t[j] == '"' else 1
            cur.append(t[i:j + 1]); i = j + 1
            continue
        m = re.match(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$", t[i:])
        if m and not (cur and re.search(r"[A-Za-z_0-9]$", "".join(cur[-1:]))):
            j = t.index(m.group(0), i + len(m.group(0)))
            cur.append(t[i:j + len(m.group(0))]); i = j + len(m.group(0))
            continue
        if c == ";":
            st = "".join(cur).strip()
            if st:
                out.append(st)
            cur, i = [], i + 1
            continue
        cur.append(c); i += 1
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out

in_tx, begins, problems, prev = False, 0, [], None
stmts = statements(text)
for k, st in enumerate(stmts):
    head = " ".join(st.split()[:4]).upper()
    if head == "BEGIN":
        if in_tx:
            problems.append("statement %d: BEGIN inside a transaction" % (k + 1))
        if k + 1 >= len(stmts) or not stmts[k + 1].startswith("SET LOCAL lock_timeout = "):
            problems.append("statement %d: BEGIN without SET LOCAL lock_timeout" % (k + 1))
        in_tx, begins = True, begins + 1
    elif head == "COMMIT":
        if not in_tx:
            problems.append("statement %d: COMMIT outside a transaction" % (k + 1))
        in_tx = False
    elif in_tx and "CONCURRENTLY" in head:
        problems.append("statement %d: %s inside a transaction" % (k + 1, head))
    elif not in_tx and not head.startswith(("SET ", "RESET ")) and head:
        # Outside a transaction: must be a non-transactional step's one
        # statement, right after the session SETs.
        if not (prev or "").startswith("SET statement_timeout = 0"):
            problems.append("statement %d: %r outside a transaction without SETs" % (k + 1, head))
    prev = st
if in_tx:
    problems.append("unterminated transaction at the end")
if down:
    want = sum(1 for s in plan["steps"] if s.get("rollback") and s.get("rollback_transactional"))
else:
    want = sum(1 for s in plan["steps"] if s.get("transactional"))
if begins != want:
    problems.append("%d BEGIN, want %d (one per transactional step)" % (begins, want))
for p in problems:
    print(p)
