import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PtsmError } from '../../core/errors.js';

/**
 * The Teams app package: manifest.json with the bot's app id filled in, and
 * the two icons, zipped flat (Teams refuses folders inside the zip).
 */
export const APP_ID_PLACEHOLDER = '{{MICROSOFT_APP_ID}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICONS = { color: 192, outline: 32 } as const;
/** The oldest manifest schema accepted: the one the Agents SDK's Teams features (streaming, citations) are documented for. */
export const MIN_MANIFEST_VERSION = [1, 21] as const;

export interface TeamsPackageOptions {
  appId: string | undefined;
  /** Folder holding manifest.json, color.png and outline.png. */
  manifestDir: string;
  outFile: string;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(signature) || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function invalid(message: string, input: string): PtsmError {
  return new PtsmError('INPUT_CORRUPT', `Paquet Teams : ${message}`, { input });
}

/** Reads the manifest and fills the bot id; checks what Teams would otherwise reject at upload. */
export function renderManifest(manifestDir: string, appId: string | undefined): Record<string, unknown> {
  if (!appId || !GUID.test(appId.trim())) {
    throw new PtsmError('CONFIG_INVALID',
      `Paquet Teams : MICROSOFT_APP_ID doit être l'identifiant (GUID) de l'inscription Azure Bot${appId ? ` (valeur actuelle : « ${appId} »)` : ' (non défini)'}.`,
      { input: 'MICROSOFT_APP_ID' });
  }
  const file = path.join(manifestDir, 'manifest.json');
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PtsmError('INPUT_NOT_FOUND', `Paquet Teams : impossible de lire ${file} (${(e as Error).message}).`, { input: file });
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(raw.split(APP_ID_PLACEHOLDER).join(appId.trim())) as Record<string, unknown>;
  } catch (e) {
    throw invalid(`${file} n'est pas du JSON valide (${(e as Error).message}).`, file);
  }
  for (const key of ['$schema', 'manifestVersion', 'version', 'id', 'developer', 'name', 'description', 'icons', 'accentColor', 'bots']) {
    if (manifest[key] === undefined) throw invalid(`le champ « ${key} » manque dans ${file}.`, file);
  }
  if (JSON.stringify(manifest).includes('{{')) throw invalid(`un champ à remplacer ({{…}}) reste dans ${file}.`, file);
  const [major, minor] = String(manifest.manifestVersion).split('.').map(Number);
  const [minMajor, minMinor] = MIN_MANIFEST_VERSION;
  if (!Number.isFinite(major) || !Number.isFinite(minor) || major! < minMajor || (major === minMajor && minor! < minMinor)) {
    throw invalid(`manifestVersion « ${String(manifest.manifestVersion)} » est trop ancienne dans ${file} : ${minMajor}.${minMinor} au moins (et le $schema de la même version).`, file);
  }
  return manifest;
}

export async function buildTeamsPackage(opts: TeamsPackageOptions): Promise<{ file: string; manifest: Record<string, unknown> }> {
  const manifest = renderManifest(opts.manifestDir, opts.appId);
  const icons = manifest.icons as Record<string, string>;
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const [kind, size] of Object.entries(ICONS)) {
    const name = icons[kind];
    if (!name) throw invalid(`icône « ${kind} » non déclarée dans le manifeste.`, 'manifest.json');
    const file = path.join(opts.manifestDir, name);
    if (!fs.existsSync(file)) throw new PtsmError('INPUT_NOT_FOUND', `Paquet Teams : icône introuvable : ${file}.`, { input: file });
    const png = fs.readFileSync(file);
    const dims = pngSize(png);
    if (!dims || dims.width !== size || dims.height !== size) {
      throw invalid(`l'icône ${file} doit être un PNG de ${size}×${size} pixels${dims ? ` (elle fait ${dims.width}×${dims.height})` : ''}.`, file);
    }
    zip.file(name, png);
  }
  const out = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(path.dirname(opts.outFile), { recursive: true });
  fs.writeFileSync(opts.outFile, out);
  return { file: opts.outFile, manifest };
}
