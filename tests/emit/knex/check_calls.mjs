// Runs a generated Knex migration against a fake knex that records what
// would reach the pg driver, and compares that with the plan:
//
//   node check_calls.mjs MIGRATION PLAN.json
//
// For up, each step in order; for down, the rollbacks last step first.
// A transactional step must be BEGIN, SET LOCAL lock_timeout, SET LOCAL
// statement_timeout (forward steps that neither scan nor rewrite, when
// the plan sets one), its SQL byte for byte, COMMIT. Any other step: SET
// lock_timeout, SET statement_timeout = 0, its SQL, then the RESET on the
// same connection, outside any transaction. Prints the first difference
// and exits 1; prints nothing and exits 0 when all match.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [file, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const mod = await import(pathToFileURL(file).href);
const m = mod.up ? mod : mod.default;

let fail = (msg) => {
  console.log(msg);
  process.exit(1);
};
const config = mod.config ?? (mod.default && mod.default.config);
if (!config || config.transaction !== false)
  fail("config.transaction is not false: Knex would wrap the migration");

// The fake: one driver connection per acquire, queries logged with the
// transaction they ran in.
function fakeKnex(log) {
  let inTx = false;
  let next = 1;
  const conn = () => {
    const id = next++;
    // Called as both drivers allow (pg, mysql2): with a callback;
    // mysql2's query without one cannot be awaited.
    return {
      query: (sql, cb) => {
        if (typeof cb !== "function")
          fail(`query without a callback: ${JSON.stringify(sql)}`);
        log.push({ conn: id, inTx, sql });
        setImmediate(() => cb(null));
      },
    };
  };
  const pool = {
    acquireConnection: async () => conn(),
    releaseConnection: async () => {},
  };
  return {
    client: pool,
    raw: () => fail("knex.raw used: it rewrites \"?\" in the SQL"),
    transaction: async (fn) => {
      const c = conn();
      const trx = {
        client: {
          acquireConnection: async () => c,
          releaseConnection: async () => {},
        },
      };
      log.push({ conn: "tx", inTx: false, sql: "BEGIN" });
      inTx = true;
      await fn(trx);
      inTx = false;
      log.push({ conn: "tx", inTx: false, sql: "COMMIT" });
    },
  };
}

function trimNl(s) {
  return s.replace(/[\r\n]+$/, "");
}

function expected(down) {
  const st = plan.settings;
  const out = [];
  const steps = down ? [...plan.steps].reverse() : plan.steps;
  for (const s of steps) {
    const sql = down ? s.rollback : s.forward;
    if (sql === null) continue;
    const tx = down ? s.rollback_transactional : s.transactional;
    if (tx) {
      out.push({ inTx: false, sql: "BEGIN" });
      out.push({ inTx: true, sql: `SET LOCAL lock_timeout = '${st.lock_timeout_ms}ms'` });
      if (!down && st.statement_timeout_ms > 0 && !s.scans && !s.rewrites)
        out.push({ inTx: true, sql: `SET LOCAL statement_timeout = '${st.statement_timeout_ms}ms'` });
      out.push({ inTx: true, sql: trimNl(sql) });
      out.push({ inTx: false, sql: "COMMIT" });
    } else {
      out.push({ inTx: false, sql: `SET lock_timeout = '${st.lock_timeout_ms}ms'`, one: s.n });
      out.push({ inTx: false, sql: "SET statement_timeout = 0", one: s.n });
      out.push({ inTx: false, sql: trimNl(sql), one: s.n });
      out.push({ inTx: false, sql: "RESET lock_timeout; RESET statement_timeout", one: s.n });
    }
  }
  return out;
}

for (const dir of ["up", "down"]) {
  const log = [];
  await m[dir](fakeKnex(log));
  const want = expected(dir === "down");
  const n = Math.max(log.length, want.length);
  const conns = {};
  for (let i = 0; i < n; i++) {
    const g = log[i], w = want[i];
    if (!g || !w || g.sql !== w.sql || g.inTx !== w.inTx)
      fail(`${dir}: query ${i + 1}: want ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
    // The session SETs of a step outside a transaction must be on the
    // connection that runs its statement.
    if (w.one !== undefined) {
      conns[w.one] ??= g.conn;
      if (conns[w.one] !== g.conn)
        fail(`${dir}: step ${w.one} uses more than one connection`);
    }
  }
}
