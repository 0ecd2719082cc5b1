#!/usr/bin/env node
// Runs a TypeScript script (eval, bench) through tsx: `node bin/run-ts.js scripts/bench.ts`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [script, ...rest] = process.argv.slice(2);
if (!script) {
  process.stderr.write('usage : node bin/run-ts.js <script.ts> [arguments…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(path.resolve(script)).href);
