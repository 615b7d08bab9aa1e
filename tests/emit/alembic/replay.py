"""Replay a generated Alembic revision without Alembic or a database.

    replay.py PLAN.json REVISION.py

A stand-in `alembic.op` records what upgrade() and downgrade() would send
(offline mode: _execute prints through impl.static_output). Every step
must arrive byte for byte as the plan has it, each in an autocommit block
of its own: the transactional ones wrapped in BEGIN / SET LOCAL / COMMIT,
the others alone after the session timeouts. Exit 1 with the first
difference.
"""
import contextlib
import importlib.util
import json
import sys
import types

plan = json.load(open(sys.argv[1], encoding="utf-8"))
sent = []  # (block number, text)
block = [0]


class Impl:
    def static_output(self, text):
        sent.append((block[0], text))


class Context:
    as_sql = True
    impl = Impl()

    @contextlib.contextmanager
    def autocommit_block(self):
        block[0] += 1
        yield


op = types.SimpleNamespace(get_context=lambda: Context())
sys.modules["alembic"] = types.SimpleNamespace(op=op)
spec = importlib.util.spec_from_file_location("rev", sys.argv[2])
rev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rev)

s = plan["settings"]


def expected(step, sql, transactional, forward):
    if not transactional:
        return ["SET lock_timeout = '%dms';" % s["lock_timeout_ms"],
                "SET statement_timeout = 0;", sql]
    text = "BEGIN;\nSET LOCAL lock_timeout = '%dms';\n" % s["lock_timeout_ms"]
    if (forward and s["statement_timeout_ms"] > 0 and not step["scans"]
            and not step["rewrites"]):
        text += "SET LOCAL statement_timeout = '%dms';\n" % s["statement_timeout_ms"]
    text += sql if sql.endswith("\n") else sql + "\n"
    return [text + "COMMIT;\n"]


def check(fn, steps, forward):
    del sent[:]
    block[0] = 0
    fn()
    want = []
    for st in steps:
        sql = st["forward"] if forward else st["rollback"]
        if sql is None:
            continue
        tx = st["transactional"] if forward else st["rollback_transactional"]
        want.append(expected(st, sql, tx, forward))
    got = {}
    for b, text in sent:
        got.setdefault(b, []).append(text)
    got = [got[b] for b in sorted(got)]
    # A trailing block resets the session timeouts.
    if got and got[-1] == ["RESET lock_timeout;\nRESET statement_timeout;\n"]:
        got.pop()
    if got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                print("%s block %d differs:\n got  %r\n want %r"
                      % (fn.__name__, i + 1, g, w))
                break
        else:
            print("%s: %d blocks, expected %d" % (fn.__name__, len(got), len(want)))
        sys.exit(1)
    return len(got)


n = check(rev.upgrade, plan["steps"], True)
m = check(rev.downgrade, list(reversed(plan["steps"])), False)
print("replayed %d upgrade and %d downgrade steps" % (n, m))
