// Drives `git-schemig mcp` with the real MCP SDK client over stdio
// (tests/suites/mcp.sh). Every assertion prints one line,
//   RESULT <TAB> name <TAB> 0|1 <TAB> why
// that the suite turns into one check. Environment: MCP_SDK (the npm
// directory), MCP_BIN, MCP_REPO (the server's working directory, with
// .schemig.yml), MCP_PROD_RAW (production's URL as text), MCP_LONG_PLAN
// (a plan whose dry run takes minutes), MCP_SECRET (a password that must
// never appear in a result).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sdk = process.env.MCP_SDK + '/node_modules/@modelcontextprotocol/sdk/dist/esm';
const { Client } = await import(sdk + '/client/index.js');
const { StdioClientTransport } = await import(sdk + '/client/stdio.js');
const { McpError } = await import(sdk + '/types.js');

const BIN = process.env.MCP_BIN;
const REPO = process.env.MCP_REPO;
const SECRET = process.env.MCP_SECRET;

function result(name, good, why = '') {
  const w = String(why).replace(/\s+/g, ' ').slice(0, 300);
  console.log(`RESULT\t${name}\t${good ? 0 : 1}\t${good ? '' : w}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
// The children of a process, from /proc (no ps needed).
function children(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}
async function until(cond, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return true; await sleep(50); }
  return cond();
}

// ---- raw: version negotiation, stdin closing mid-call ---------------------

// A server on plain pipes: send lines, collect the replies by id.
function raw() {
  const p = spawn(BIN, ['mcp'], { cwd: REPO, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const s = { p, msgs: [], err: '', exit: null };
  let buf = '';
  p.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { s.msgs.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
  });
  p.stderr.on('data', (d) => { s.err += d; });
  p.on('exit', (code, sig) => { s.exit = { code, sig }; });
  s.send = (m) => p.stdin.write(JSON.stringify(m) + '\n');
  s.reply = (id, ms = 10000) => until(() => s.msgs.find((m) => m.id === id), ms).then(() => s.msgs.find((m) => m.id === id));
  return s;
}
const init = (v) => ({ jsonrpc: '2.0', id: 0, method: 'initialize',
  params: { protocolVersion: v, capabilities: {}, clientInfo: { name: 'schemig-test', version: '1' } } });

for (const [name, asked, want] of [['current', '2025-11-25', '2025-11-25'],
  ['previous', '2025-06-18', '2025-06-18'], ['unknown', '1999-01-01', '2025-11-25']]) {
  const s = raw();
  s.send(init(asked));
  const r = await s.reply(0);
  result(`version/${name}`, r?.result?.protocolVersion === want, JSON.stringify(r));
  s.p.stdin.end();
  await until(() => s.exit, 5000);
}

// ---- the SDK client ---------------------------------------------------------

const transport = new StdioClientTransport({ command: BIN, args: ['mcp'], cwd: REPO, env: { ...process.env }, stderr: 'pipe' });
let serverLog = '';
transport.stderr?.on('data', (d) => { serverLog += d; });
const client = new Client({ name: 'schemig-test', version: '0.0.1' });
await client.connect(transport);
const serverPid = transport.pid;
const info = client.getServerVersion();
result('handshake/server-info', info?.name === 'git-schemig' && /^\d+\.\d+/.test(info?.version ?? ''), JSON.stringify(info));
const caps = client.getServerCapabilities();
result('handshake/capabilities', !!caps?.tools && !!caps?.resources, JSON.stringify(caps));

const { tools } = await client.listTools();
const names = tools.map((t) => t.name).sort();
const want = ['diff', 'dry_run', 'explain_step', 'history', 'inspect_schema', 'lint', 'plan', 'propose_migration'];
result('tools/list', JSON.stringify(names) === JSON.stringify(want), names.join(','));
result('tools/list/schemas', tools.every((t) => t.inputSchema?.type === 'object' && t.outputSchema?.type === 'object'));
result('tools/list/no-apply', !names.some((n) => /apply|rollback|promote|approve/.test(n)));

const texts = [];
async function call(name, args, opts) {
  const r = await client.callTool({ name, arguments: args }, undefined, opts);
  texts.push(JSON.stringify(r));
  return r;
}
async function callError(name, args) {
  try { await client.callTool({ name, arguments: args }); return null; } catch (e) { return e; }
}

// inspect_schema
let r = await call('inspect_schema', { env: 'production', table: 't' });
const t = r.structuredContent?.tables?.[0];
result('inspect_schema/env', !r.isError && t?.name === 't' && t.columns.some((c) => c.name === 'a'), JSON.stringify(r).slice(0, 300));
r = await call('inspect_schema', {});
result('inspect_schema/schema-file', !r.isError && r.structuredContent.tables.some((x) => x.columns.some((c) => c.name === 'b')), JSON.stringify(r).slice(0, 300));
r = await call('inspect_schema', { env: 'production', table: 'nosuch' });
result('inspect_schema/unknown-table', r.isError === true && /nosuch/.test(r.content[0].text), JSON.stringify(r));

// diff
r = await call('diff', { env: 'production' });
result('diff', !r.isError && r.structuredContent.changes.some((c) => c.kind === 'add_column'), JSON.stringify(r).slice(0, 300));

// plan
r = await call('plan', { env: 'production' });
const planFile = r.structuredContent?.plan_file;
result('plan', !r.isError && existsSync(planFile ?? '') && r.structuredContent.verdict?.backwards_compatible === true &&
  r.structuredContent.steps.length > 0 && /^[0-9a-f]{64}$/.test(r.structuredContent.plan_id), JSON.stringify(r).slice(0, 300));
result('plan/text-content', r.content?.[0]?.type === 'text' && JSON.parse(r.content[0].text).plan_id === r.structuredContent.plan_id);

// lint: the SQL would drop the table if anything ran it
r = await call('lint', { sql: 'DROP TABLE t;\nCREATE INDEX t_a ON t (a);\n' });
const rules = (r.structuredContent?.findings ?? []).map((f) => f.rule);
result('lint', !r.isError && rules.includes('ban_drop_table') && rules.includes('require_concurrent_index_creation'), rules.join(','));

// explain_step
r = await call('explain_step', { plan: planFile, step: 1 });
result('explain_step', !r.isError && r.structuredContent.step === 1 && /ACCESS EXCLUSIVE/.test(r.structuredContent.lock) &&
  /DROP COLUMN/.test(r.structuredContent.rollback), JSON.stringify(r.structuredContent));
r = await call('explain_step', { plan: planFile, step: 99 });
result('explain_step/no-such-step', r.isError === true && /no step 99/.test(r.content[0].text), JSON.stringify(r));
r = await call('explain_step', { plan: readFileSync(planFile, 'utf8').replace('"n":1', '"n":7'), step: 1 });
result('explain_step/tampered-plan', r.isError === true, JSON.stringify(r).slice(0, 300));

// dry_run on the replica, with progress
let progress = 0;
r = await call('dry_run', { on: 'replica:production', plan: planFile }, { onprogress: () => { progress++; } });
result('dry_run/replica', !r.isError && r.structuredContent.ok === true, JSON.stringify(r).slice(0, 400));
result('dry_run/progress', progress > 0, `${progress} notifications`);

// a copy by URL (no environment's database), and dev loaded from a file
r = await call('dry_run', { on: process.env.MCP_REPLICA_URL, plan: planFile });
result('dry_run/copy-url', !r.isError && r.structuredContent.ok === true, JSON.stringify(r).slice(0, 400));
r = await call('dry_run', { on: 'dev', from: 'git:HEAD:db/schema.sql', to: 'db/schema.sql' });
result('dry_run/dev', !r.isError && r.structuredContent.ok === true && r.structuredContent.on === 'dev', JSON.stringify(r).slice(0, 400));

// refused on protected environments, by name and by URL
for (const [name, on] of [['name', 'production'], ['env-var', 'env:MCP_PROD_URL'], ['url', process.env.MCP_PROD_RAW], ['no-replica', 'replica:staging']]) {
  r = await call('dry_run', { on, plan: planFile });
  result(`dry_run/refused-${name}`, r.isError === true && /refused|no replica/.test(r.content[0].text), JSON.stringify(r).slice(0, 300));
}

// propose_migration: files in the working tree, nothing committed
r = await call('propose_migration', { plan: planFile, name: 'add b' });
const files = r.structuredContent?.files ?? [];
result('propose_migration/files', !r.isError && files.length > 0 && files.every((f) => existsSync(join(REPO, f))), JSON.stringify(r).slice(0, 300));
result('propose_migration/summary', /migration for plan/.test(r.structuredContent?.summary ?? ''), JSON.stringify(r.structuredContent));

// a dry run whose step fails on the rows: the server's message would
// quote them ("Key (a)=(x) is duplicated."); the result must not
r = await call('plan', { env: 'production', to: 'db/unique.sql' });
const uniquePlan = r.structuredContent?.plan_file;
r = await call('dry_run', { on: 'replica:production', plan: uniquePlan });
const dump = JSON.stringify(r);
result('dry_run/failing-step', (r.isError || r.structuredContent?.ok === false) && /withheld/.test(dump), dump.slice(0, 400));
result('dry_run/no-row-values', !/=\(x\)/.test(dump), dump.slice(0, 400));

// history (read-only)
r = await call('history', { env: 'production' });
result('history', !r.isError && Array.isArray(r.structuredContent.applies), JSON.stringify(r).slice(0, 300));

// apply is not a tool, and says where it lives
r = await call('apply', { env: 'production' });
result('apply-refused', r.isError === true && /git schemig apply/.test(r.content[0].text), JSON.stringify(r));

// resources
const { resources } = await client.listResources();
const uris = resources.map((x) => x.uri);
result('resources/list', uris.includes('schemig://env/production/schema') && uris.includes('schemig://schema/file') &&
  uris.includes('schemig://plan/last'), uris.join(','));
const rr = await client.readResource({ uri: 'schemig://env/production/schema' });
result('resources/read-env', JSON.parse(rr.contents[0].text).tables.some((x) => x.name === 't'), JSON.stringify(rr).slice(0, 200));
const rp = await client.readResource({ uri: 'schemig://plan/last' });
result('resources/read-plan', /^[0-9a-f]{64}$/.test(JSON.parse(rp.contents[0].text).id ?? ''));
try { await client.readResource({ uri: 'schemig://env/nosuch/schema' }); result('resources/unknown', false, 'no error'); }
catch (e) { result('resources/unknown', e instanceof McpError && e.code === -32002, String(e)); }
texts.push(JSON.stringify(rr));

// bad arguments: JSON-RPC errors -32602
for (const [name, tool, args] of [['type', 'lint', { sql: 42 }], ['missing', 'explain_step', { plan: 'x' }],
  ['unknown-arg', 'diff', { form: 'x' }], ['minimum', 'explain_step', { plan: 'x', step: 0 }],
  ['enum', 'propose_migration', { emitter: 'rails' }], ['unknown-tool', 'drop_everything', {}],
  ['both-sources', 'inspect_schema', { env: 'production', source: 'db/schema.sql' }]]) {
  const e = await callError(tool, args);
  result(`bad-args/${name}`, e instanceof McpError && e.code === -32602, String(e));
}

// no result names the password
result('no-credentials', !texts.some((x) => x.includes(SECRET)), 'the password appeared');

// cancellation of a long dry run: the child stops, the copy is as it was
const ac = new AbortController();
let started = false;
const long = call('dry_run', { on: 'replica:production', plan: process.env.MCP_LONG_PLAN },
  { signal: ac.signal, onprogress: (p) => { if (/backfill/.test(p.message ?? '')) started = true; } })
  .then(() => 'answered', (e) => (ac.signal.aborted ? 'aborted' : String(e)));
await until(() => started, 60000);
result('cancel/started', started, serverLog.slice(-300));
const before = children(serverPid);
ac.abort('test');
const outcome = await long;
result('cancel/aborted', outcome === 'aborted', outcome);
const stopped = await until(() => children(serverPid).length === 0, 20000);
result('cancel/child-stopped', before.length > 0 && stopped, `children before ${before}, after ${children(serverPid)}`);
result('cancel/logged', /\(cancelled\)/.test(serverLog), serverLog.slice(-300));
result('cancel/server-alive', (await client.ping()) !== undefined);
await client.close();

// ---- stdin closing mid-call ---------------------------------------------------

const s = raw();
s.send(init('2025-11-25'));
await s.reply(0);
s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call',
  params: { name: 'dry_run', arguments: { on: 'replica:production', plan: process.env.MCP_LONG_PLAN }, _meta: { progressToken: 'p1' } } });
const running = await until(() => s.msgs.some((m) => m.method === 'notifications/progress' && /backfill/.test(m.params.message)), 60000);
result('eof/progress-token', running && s.msgs.every((m) => m.method !== 'notifications/progress' || m.params.progressToken === 'p1'));
const kids = children(s.p.pid);
s.p.stdin.end();
await until(() => s.exit, 20000);
result('eof/exit-0', s.exit?.code === 0, JSON.stringify(s.exit) + s.err.slice(-300));
result('eof/no-child-left', kids.length > 0 && kids.every((k) => !alive(k)), `children ${kids}`);
result('eof/no-answer', !s.msgs.some((m) => m.id === 1), 'the cancelled call was answered');
process.exit(0);
