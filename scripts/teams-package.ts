// `npm run teams:package`: the Teams app package (dist/ptsm-teams.zip) with the bot id from the configuration.
import path from 'node:path';
import { buildTeamsPackage } from '../src/channels/teams/app-package.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/core/errors.js';

try {
  const config = loadConfig(process.env);
  const out = path.resolve('dist/ptsm-teams.zip');
  const { manifest } = await buildTeamsPackage({ appId: config.teams.appId, manifestDir: path.resolve('manifests/teams'), outFile: out });
  process.stdout.write(`Paquet Teams prêt : ${out} (manifeste ${String(manifest.manifestVersion)}, bot ${config.teams.appType})\nImportez-le dans Teams (Applications > Gérer vos applications > Charger une application).\n`);
} catch (e) {
  process.stderr.write(`${describeError(e)}\n`);
  process.exitCode = 1;
}
