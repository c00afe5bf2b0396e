// Issue 14, « one write path », as a structural guard: in the services, every write to the
// database (a prepared statement's run, exec, a raw transaction, a kysely insert/update/delete)
// sits inside a callback given to the write gate's helpers (services/context.ts), or in a
// function that receives the transaction / raw handle from such a callback (a parameter), and the
// live handles (ctx.store.db / ctx.store.sqlite) are handed to another function only from inside
// such a callback. The connection refuses the rest at run time (test/db/write-gate.test.ts).
import fs from 'node:fs';
import path from 'node:path';
// TypeScript 7 (the compiler of the project) has no JS API; the 5.9 copy kept for electronegativity has one.
import ts from 'typescript-for-electronegativity';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const GATE = new Set(['writeTransaction', 'writeSync', 'writeJob', 'withWriteLock', 'exclusiveWrite']);
const WRITE_METHODS = new Set(['run', 'exec', 'transaction', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto']);
/** Parameters through which a gated caller hands its transaction or raw handle. */
const HANDLE_PARAM = /^(trx|tx|sqlite|db)$/;

function isFunction(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n);
}

/** Inside a callback passed to a gate helper, or in a function receiving the handle? */
function gated(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (!isFunction(n)) continue;
    const call = n.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression) && ts.isIdentifier(call.expression) && GATE.has(call.expression.text)) return true;
    if (n.parameters.some((p) => ts.isIdentifier(p.name) && HANDLE_PARAM.test(p.name.text))) return true;
    // A function that takes the handle from writeHandle(ctx), which throws outside a hold.
    if (n.body && /\bwriteHandle\(/.test(n.body.getText())) return true;
  }
  return false;
}

const liveHandle = /^(?:this\.)?ctx\.store\.(?:db|sqlite)$/;

export function offenders(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const where = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${n.getText().replace(/\s+/g, ' ').slice(0, 90)}`;
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && WRITE_METHODS.has(n.expression.name.text)) {
      const receiver = n.expression.expression;
      const method = n.expression.name.text;
      const regexExec = method === 'exec' && (ts.isRegularExpressionLiteral(receiver) || !/sqlite|store|db\b|database/i.test(receiver.getText()));
      // A CLI command's run(ctx, …) is not a statement's run.
      const commandRun = method === 'run' && n.arguments.some((a) => a.getText() === 'ctx');
      if (!regexExec && !commandRun && !gated(n)) out.push(where(n));
    }
    if (ts.isCallExpression(n) && n.arguments.some((a) => liveHandle.test(a.getText())) && !gated(n)) {
      const callee = n.expression;
      // sql`SELECT …`.execute(ctx.store.db): a raw read.
      const rawRead = ts.isPropertyAccessExpression(callee) && ts.isTaggedTemplateExpression(callee.expression) && /^`\s*SELECT\b/i.test(callee.expression.template.getText());
      if (!rawRead && !GATE.has(callee.getText())) out.push(where(n));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('one write path (architecture)', () => {
  it('no service nor host writes to the database outside the write gate', () => {
    // context.ts holds the helpers themselves.
    const files = ['electron/services', 'electron/cli', 'electron/web', 'electron/main'].flatMap(sources).filter((f) => !f.endsWith(path.join('services', 'context.ts')));
    const found = files.flatMap((f) => offenders(path.relative(root, f), fs.readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the guard itself sees a write outside the gate and accepts one inside', () => {
    const bad = [
      "export function f(ctx) { ctx.store.sqlite.prepare('DELETE FROM people').run(); }",
      "export async function f(ctx) { await ctx.store.db.insertInto('people').values({}).execute(); }",
      "export async function f(ctx) { await ctx.store.db.transaction().execute(async (t) => t.deleteFrom('people').execute()); }",
      "export function f(ctx) { ctx.store.sqlite.exec('DROP TABLE people'); }",
      'export function f(ctx) { refreshEligibility(ctx.store.sqlite, { all: true }, now); }',
      'export function f(ctx) { return sql`DELETE FROM people`.execute(ctx.store.db); }',
    ];
    for (const s of bad) expect(offenders('x.ts', s).length, s).toBeGreaterThan(0);
    const good = [
      "export function f(ctx) { return writeSync(ctx, (sqlite) => sqlite.prepare('DELETE FROM people').run()); }",
      "export function f(ctx) { return writeTransaction(ctx, async (trx) => { await trx.insertInto('people').values({}).execute(); refreshEligibility(ctx.store.sqlite, {}, now); }); }",
      "export function helper(trx, id) { return trx.deleteFrom('people').where('id', '=', id).execute(); }",
      'export function f(s) { return /a(b)/.exec(s); }',
      "export function f(ctx) { writeHandle(ctx).prepare('DELETE FROM people').run(); }",
      'export function f(ctx) { return sql`SELECT 1 FROM people`.execute(ctx.store.db); }',
    ];
    for (const s of good) expect(offenders('x.ts', s), s).toEqual([]);
  });
});
