import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir, write } from '../helpers/files.js';

/**
 * The shipped `ptsm` binary (compiled dist/, built by `npm test` and at
 * install): what each command loads, `.env`, and `ptsm serve`'s lifecycle.
 */
const BIN = path.resolve('bin/ptsm.js');

let tmp: { dir: string; cleanup: () => void };
let hooks: string;

beforeAll(async () => {
  tmp = tempDir();
  write(tmp.dir, 'docs/fa04.md', '# Fiche action 4 — Pair-aidance\n\n## Pilote\n\nMme Céline Vasseur, GEM L’Escale.\n\n## Échéance\n\nT2 2026\n');
  write(tmp.dir, 'docs/glossaire.md', '# Glossaire\n\n- **CLSM** : conseil local de santé mentale.\n');
  // A module hook that names every npm package the process imports, on stderr.
  hooks = path.join(tmp.dir, 'hooks.mjs');
  fs.writeFileSync(hooks, [
    'const seen = new Set();',
    'export async function resolve(spec, ctx, next) {',
    '  const r = await next(spec, ctx);',
    "  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(r.url);",
    "  if (m && !seen.has(m[1])) { seen.add(m[1]); process.stderr.write('LOADED ' + m[1] + '\\n'); }",
    '  return r;',
    '}',
  ].join('\n'));
  // Node ≥ 22.15 has in-thread hooks that also see require() (how ESM reaches CommonJS packages on Node 24);
  // older Nodes take the off-thread ones, which see every import there.
  fs.writeFileSync(path.join(tmp.dir, 'register.mjs'), [
    "import * as mod from 'node:module';",
    'const seen = new Set();',
    "const log = (url) => { const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url); if (m && !seen.has(m[1])) { seen.add(m[1]); process.stderr.write('LOADED ' + m[1] + '\\n'); } };",
    'if (mod.registerHooks) mod.registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); log(r.url); return r; } });',
    `else mod.register(${JSON.stringify(new URL(`file://${hooks}`).href)});`,
  ].join('\n'));
  expect(await main(['index', 'docs', '--data', 'data'], { cwd: tmp.dir, env: {}, stdout: () => undefined, stderr: () => undefined, interactive: false })).toBe(0);
});
afterAll(() => tmp.cleanup());

function packagesLoadedBy(args: string[]): { status: number | null; packages: string[]; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', path.join(tmp.dir, 'register.mjs'), BIN, ...args], { cwd: tmp.dir, encoding: 'utf8', env: { ...process.env, PTSM_DATA_DIR: 'data' } });
  const packages = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7)).sort();
  return { status: r.status, packages, stdout: r.stdout };
}

const SERVER_ONLY = ['@slack/bolt', 'botbuilder', 'express', '@microsoft/agents-hosting', '@langchain/core', '@langchain/openai', 'docx', 'mammoth', 'pdf-parse'];

describe('the ptsm binary loads only what a command needs', () => {
  it('`ptsm --help` loads no package at all', () => {
    const r = packagesLoadedBy(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Commandes :');
    expect(r.packages).toEqual([]);
  });

  it('`ptsm when` loads only the configuration schema (zod)', () => {
    const r = packagesLoadedBy(['when', 'fin 2026', '--json', '--ref', '2026-01-10']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ end: '2026-12-31' });
    expect(r.packages).toEqual(['zod']);
  });

  it('`ptsm search` and `ptsm ask` open the index without the chat platforms, the web server, LangChain or the parsers', () => {
    const search = packagesLoadedBy(['search', 'CLSM', '--json']);
    expect(search.status).toBe(0);
    expect((JSON.parse(search.stdout) as Array<{ source: string }>)[0]!.source).toBe('docs/glossaire.md');
    const ask = packagesLoadedBy(['ask', 'Qui pilote la fiche pair-aidance ?', '--json']);
    expect(ask.status).toBe(0);
    expect((JSON.parse(ask.stdout) as { answer: string }).answer).toContain('Céline Vasseur');
    for (const r of [search, ask]) expect(r.packages.filter((p) => SERVER_ONLY.includes(p))).toEqual([]);
    expect(ask.packages).toContain('better-sqlite3');
  });
});

describe('the compiled build', () => {
  it('finds the prompt files of prompts/ from dist/', async () => {
    const compiled = path.resolve('dist/core/prompts.js');
    const { loadPrompt } = (await import(pathToFileURL(compiled).href)) as { loadPrompt: (name: string) => string };
    expect(loadPrompt('answer-system')).toBe(fs.readFileSync(path.resolve('prompts/answer-system.md'), 'utf8').trim());
  });
});

describe('npm', () => {
  it('reads the project .npmrc without an unknown-setting warning (printed by every `npx ptsm …`)', () => {
    const r = spawnSync('npm', ['config', 'get', 'fund'], { cwd: path.resolve('.'), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('false');
    expect(r.stderr).not.toMatch(/Unknown (project|user|env) config/);
  });
});

describe('.env', () => {
  it('is read from the working directory when present; the environment wins over it', async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir.dir, '.env'), '# réglages locaux\nPTSM_DATA_DIR=depuis-env\nPTSM_TIMEZONE="Europe/Paris"\n');
      const run = async (env: Record<string, string>) => {
        let out = '';
        let err = '';
        const code = await main(['stats'], { cwd: dir.dir, env, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
        return { code, out, err };
      };
      const fromFile = await run({});
      expect(fromFile.code).toBe(1);
      expect(fromFile.err).toContain(path.join(dir.dir, 'depuis-env'));
      const fromEnv = await run({ PTSM_DATA_DIR: 'depuis-environnement' });
      expect(fromEnv.err).toContain(path.join(dir.dir, 'depuis-environnement'));
      fs.writeFileSync(path.join(dir.dir, '.env'), 'PTSM_LOG_LEVEL=bavard\n');
      const bad = await run({});
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/PTSM_LOG_LEVEL = « bavard »/);
    } finally {
      dir.cleanup();
    }
  });
});

describe('ptsm serve (the binary)', () => {
  it('reads PORT and the data folder from .env, is ready, serves the console from dist/, and stops cleanly on SIGTERM', async () => {
    fs.writeFileSync(path.join(tmp.dir, '.env'), 'PORT=0\nPTSM_DATA_DIR=data\n');
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: tmp.dir, env: { ...process.env, PORT: '', PTSM_DATA_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ptsm serve did not start: ${stderr}`)), 20_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /en service sur (http:\/\/\S+)/.exec(stderr);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
      });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { index: 'ok', database: 'ok' } });
      const css = await fetch(`${url}/web/assets/style.css`);
      expect(css.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/Erreur|Error/);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(path.join(tmp.dir, '.env'), { force: true });
    }
  });
});
