import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage } from '../../../src/channels/teams/app-package.js';
import { isPtsmError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/files.js';

const MANIFEST_DIR = path.resolve('manifests/teams');
const APP_ID = '3f0c2a9e-7b1d-4e6a-9c8f-5d4e3b2a1f09';

/** Reads a PNG independently of the code under test: IHDR, then the RGBA pixels (filter 0 rows only). */
function readPng(buf: Buffer): { width: number; height: number; colorType: number; pixels: number[][] | null } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0, height = 0, colorType = -1;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const len = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); colorType = data[9]!; }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + len;
  }
  if (colorType !== 6) return { width, height, colorType, pixels: null };
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels: number[][] = [];
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    if (raw[row] !== 0) return { width, height, colorType, pixels: null };
    for (let x = 0; x < width; x++) pixels.push([...raw.subarray(row + 1 + x * 4, row + 5 + x * 4)]);
  }
  return { width, height, colorType, pixels };
}

describe('Teams app package', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('zips a manifest with the bot id everywhere it belongs and icons of the right size', async () => {
    const out = path.join(tmp.dir, 'dist', 'ptsm-teams.zip');
    await buildTeamsPackage({ appId: APP_ID, manifestDir: MANIFEST_DIR, outFile: out });
    const zip = await JSZip.loadAsync(fs.readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const m = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, any>;
    expect(m.$schema).toMatch(/teams\/v1\.(2[1-9])\/MicrosoftTeams\.schema\.json$/);
    // 1.21 or later, and the schema named is the version declared.
    expect(Number(m.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(21);
    expect(m.$schema).toContain(`/v${m.manifestVersion}/`);
    expect(m.localizationInfo.defaultLanguageTag).toBe('fr-fr');
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.id).toBe(APP_ID);
    for (const k of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(m.developer[k]).toBeTruthy();
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full).toMatch(/fiche action/);
    expect(m.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(m.bots[0].supportsFiles).toBe(true);
    for (const list of m.bots[0].commandLists) for (const c of list.commands) expect(c.title.length).toBeLessThanOrEqual(32);
    expect(m.composeExtensions[0].botId).toBe(APP_ID);
    expect(m.composeExtensions[0].commands[0]).toMatchObject({ id: 'draftFiche', type: 'action', title: 'Rédiger une fiche action', context: ['message'], fetchTask: true });
    expect(m.webApplicationInfo.id).toBe(APP_ID);
    expect(Array.isArray(m.validDomains)).toBe(true);
    expect(JSON.stringify(m)).not.toContain('{{');

    const color = readPng(Buffer.from(await zip.file(m.icons.color)!.async('uint8array')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(Buffer.from(await zip.file(m.icons.outline)!.async('uint8array')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // White on transparent: every visible pixel is white, and there is a drawing and a background.
    expect(outline.pixels).not.toBeNull();
    const visible = outline.pixels!.filter((p) => p[3]! > 0);
    expect(visible.every((p) => p[0] === 255 && p[1] === 255 && p[2] === 255)).toBe(true);
    expect(visible.length).toBeGreaterThan(100);
    expect(outline.pixels!.filter((p) => p[3] === 0).length).toBeGreaterThan(300);
  });

  it('refuses to build without a valid bot id', async () => {
    for (const appId of [undefined, 'mon-bot']) {
      const err = await buildTeamsPackage({ appId, manifestDir: MANIFEST_DIR, outFile: path.join(tmp.dir, 'x.zip') }).catch((e: unknown) => e);
      expect(isPtsmError(err) && err.code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toMatch(/MICROSOFT_APP_ID/);
    }
    expect(fs.existsSync(path.join(tmp.dir, 'x.zip'))).toBe(false);
  });

  it('refuses an icon of the wrong size', async () => {
    const dir = path.join(tmp.dir, 'bad');
    fs.mkdirSync(dir);
    for (const f of ['manifest.json', 'color.png']) fs.copyFileSync(path.join(MANIFEST_DIR, f), path.join(dir, f));
    fs.copyFileSync(path.join(MANIFEST_DIR, 'color.png'), path.join(dir, 'outline.png'));
    const err = await buildTeamsPackage({ appId: APP_ID, manifestDir: dir, outFile: path.join(dir, 'x.zip') }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/32×32 pixels \(elle fait 192×192\)/);
  });
});

describe('Teams manifest version', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('refuses a manifest older than 1.21, naming the file', async () => {
    const dir = path.join(tmp.dir, 'old');
    fs.mkdirSync(dir);
    for (const f of ['color.png', 'outline.png']) fs.copyFileSync(path.join(MANIFEST_DIR, f), path.join(dir, f));
    const manifest = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, manifestVersion: '1.17' }));
    const err = await buildTeamsPackage({ appId: APP_ID, manifestDir: dir, outFile: path.join(dir, 'x.zip') }).catch((e: unknown) => e);
    expect(isPtsmError(err) && err.code).toBe('INPUT_CORRUPT');
    expect((err as Error).message).toMatch(/manifestVersion « 1\.17 » est trop ancienne .*manifest\.json.*1\.21 au moins/);
    expect(fs.existsSync(path.join(dir, 'x.zip'))).toBe(false);
  });
});
