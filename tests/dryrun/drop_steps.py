#!/usr/bin/env python3
"""Make a wrong plan: drop the last N steps (and the reasons and checks
that name them) and give it the id its new content has, so that it loads
like any plan but does not reach its target."""
import hashlib
import json
import sys


def canonical(p):
    body = {k: v for k, v in p.items() if k != "id"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False) + "\n"


src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8") as f:
    p = json.load(f)
# The id must be reproduced exactly, or the test would prove nothing.
if hashlib.sha256(canonical(p).encode()).hexdigest() != p["id"]:
    sys.exit("drop_steps.py: cannot reproduce the plan's id")
keep = len(p["steps"]) - n
p["steps"] = p["steps"][:keep]
v = p["verdict"]
for key in ("reasons", "data_checks"):
    v[key] = [x for x in v.get(key, []) if x["step"] <= keep]
p["id"] = hashlib.sha256(canonical(p).encode()).hexdigest()
with open(dst, "w", encoding="utf-8") as f:
    f.write(json.dumps(p, sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False) + "\n")
