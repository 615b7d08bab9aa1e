#!/usr/bin/env python3
"""Raw JSON-RPC conformance of `git-schemig mcp` (tests/suites/mcp.sh).

    conformance.py BIN REPO

Writes lines to the server's stdin and reads its stdout, no SDK: the
cases an SDK never sends. Prints one "RESULT<TAB>name<TAB>0|1<TAB>why"
line per assertion.
"""
import json
import subprocess
import sys
import time

BIN, REPO = sys.argv[1], sys.argv[2]


def result(name, good, why=""):
    why = " ".join(str(why).split())[:300]
    print(f"RESULT\t{name}\t{0 if good else 1}\t{'' if good else why}", flush=True)


p = subprocess.Popen([BIN, "mcp"], cwd=REPO, stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def send(line):
    p.stdin.write((line if isinstance(line, str) else json.dumps(line)).encode() + b"\n")
    p.stdin.flush()


def reply():
    """The next line of stdout, parsed (None when it is not JSON)."""
    line = p.stdout.readline()
    try:
        return json.loads(line)
    except ValueError:
        return {"not_json": line.decode(errors="replace")}


def rpc(id_, method, params=None):
    m = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        m["params"] = params
    return m


# Before initialize: ping is allowed, anything else is refused.
send(rpc(1, "ping"))
r = reply()
result("before-init/ping", r.get("id") == 1 and r.get("result") == {}, r)
send(rpc(2, "tools/list"))
r = reply()
result("before-init/refused", r.get("id") == 2 and r.get("error", {}).get("code") == -32600, r)

send(rpc(3, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                           "clientInfo": {"name": "conformance", "version": "1"}}))
r = reply()
result("initialize", r.get("result", {}).get("serverInfo", {}).get("name") == "git-schemig", r)
send({"jsonrpc": "2.0", "method": "notifications/initialized"})

send('{"jsonrpc": "2.0", "id": 4, "method": "ping"')
r = reply()
result("malformed/-32700", r.get("error", {}).get("code") == -32700, r)
result("malformed/id-null", "id" in r and r["id"] is None, r)

send(rpc(5, "no/such/method"))
r = reply()
result("unknown-method/-32601", r.get("id") == 5 and r.get("error", {}).get("code") == -32601, r)

# A batch: one Invalid Request for the whole array (MCP 2025-06-18 and
# later have no batching), none of its requests served.
send([rpc(6, "ping"), rpc(7, "ping")])
r = reply()
result("batch/-32600", r.get("error", {}).get("code") == -32600 and r.get("id") is None, r)

# Notifications are never answered, known, unknown or malformed: the
# next reply is the ping's.
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
send({"jsonrpc": "2.0", "method": "notifications/no_such_thing", "params": {"x": 1}})
send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 999}})
send({"jsonrpc": "2.0", "method": "tools/list"})
send(rpc(8, "ping"))
r = reply()
result("notification/no-reply", r.get("id") == 8 and r.get("result") == {}, r)

send({"jsonrpc": "1.0", "id": 9, "method": "ping"})
r = reply()
result("invalid/jsonrpc-version", r.get("id") == 9 and r.get("error", {}).get("code") == -32600, r)
send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "ping"})
r = reply()
result("invalid/id-type", r.get("id") is None and r.get("error", {}).get("code") == -32600, r)
send(rpc(10, "tools/call", ["lint"]))
r = reply()
result("invalid/params-not-object", r.get("id") == 10 and r.get("error", {}).get("code") == -32602, r)
send(rpc(11, "tools/call", {"name": "lint", "arguments": {"sql": "SELECT 1;", "extra": True}}))
r = reply()
result("invalid/unknown-argument", r.get("id") == 11 and r.get("error", {}).get("code") == -32602
       and "extra" in r["error"].get("message", ""), r)
send(rpc(12, "resources/read", {"uri": "schemig://nothing"}))
r = reply()
result("resource/-32002", r.get("id") == 12 and r.get("error", {}).get("code") == -32002, r)
# A string id and a CRLF line ending.
p.stdin.write(b'{"jsonrpc":"2.0","id":"s-1","method":"ping"}\r\n')
p.stdin.flush()
r = reply()
result("string-id-crlf", r.get("id") == "s-1" and r.get("result") == {}, r)

p.stdin.close()
start = time.monotonic()
try:
    code = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    code = "timeout"
rest = p.stdout.read().decode(errors="replace")
result("eof/exit-0", code == 0, f"exit {code} after {time.monotonic() - start:.1f}s")
result("stdout/protocol-only", rest.strip() == "", rest)
