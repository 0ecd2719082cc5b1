#!/usr/bin/env node
// Entry point of the `ptsm` command: runs the compiled JavaScript in dist/,
// which `npm ci` / `npm install` build through the `prepare` script.
import fs from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write('ptsm n’est pas compilé (dist/ absent) : lancez « npm run build » dans le dossier du projet.\n');
  process.exit(1);
}
// `ptsm … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
