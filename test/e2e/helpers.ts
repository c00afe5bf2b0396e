// End-to-end helpers: a real web host (the `npm run web` entry, spawned) on a fresh SQLite file,
// an API client for setting up data through the same contract, and checkScreen(), which runs
// axe on the page and saves a screenshot — every screen a test visits goes through it.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const root = path.resolve(__dirname, '../..');
export const screenshotsDir = path.join(root, 'test', 'e2e', 'screenshots');
export const fixturesDir = path.join(root, 'test', 'fixtures');

export interface Server {
  url: string;
  origin: string;
  token: string;
  dir: string;
  dbFile: string;
  proc: ChildProcess;
  api<T = unknown>(channel: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Starts the web host on a random port with a new database; resolves with the printed URL. */
export async function startServer(opts: { dir?: string } = {}): Promise<Server> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fne-e2e-'));
  const dbFile = path.join(dir, 'fne-formations.sqlite');
  const rendererDir = path.join(root, 'out', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('Renderer not built: run `npm run build` first.');
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const proc = spawn(tsx, ['electron/web/main.ts', '--port', '0', '--db', dbFile, '--renderer', rendererDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 30_000);
    const rl = readline.createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      if (/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+$/.test(line.trim())) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited (${code}): ${stderr}`));
    });
  });
  const u = new URL(url);
  const token = u.hash.replace('#token=', '');
  const origin = u.origin;
  return {
    url,
    origin,
    token,
    dir,
    dbFile,
    proc,
    async api<T>(channel: string, input: unknown = {}): Promise<T> {
      const res = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fne-token': token },
        body: JSON.stringify(input),
      });
      const env = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!env.ok) throw new Error(`${channel}: ${env.error?.message}`);
      return env.value as T;
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs axe (no serious or critical violation allowed) and saves a full-page screenshot. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(summary, `axe violations on screen « ${name} »`).toEqual([]);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0)); // the app header is fixed: capture from the top
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** Presses Tab until the focused element has this accessible label (proves keyboard reachability). */
export async function tabTo(page: Page, label: string | RegExp, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.getAttribute('aria-label');
      if (labelled) return labelled;
      const id = el.id;
      const lab = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
      return (lab?.textContent ?? el.textContent ?? '').trim();
    });
    if (typeof label === 'string' ? name.replace(/\s*\*$/, '') === label : label.test(name)) return;
  }
  throw new Error(`« ${String(label)} » not reachable with the keyboard in ${maxTabs} Tab presses`);
}
