// Draws the Teams app icons (manifests/teams/color.png 192×192, outline.png 32×32) with Node alone:
// a speech bubble holding a heart. `node bin/run-ts.js scripts/teams-icons.ts`
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Rgba = [number, number, number, number];
type Shape = (x: number, y: number) => boolean;

const ACCENT: Rgba = [0x1f, 0x6f, 0x78, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

// ── PNG writer (RGBA, 8 bits, no filtering) ──────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(width: number, height: number, pixels: Rgba[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const p = pixels[y * width + x]!;
      for (let i = 0; i < 4; i++) raw[row + 1 + x * 4 + i] = p[i]!;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ── Shapes (signed distances, negative inside) ───────────────────────────────
function sdRoundRect(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number): number {
  const qx = Math.abs(x - cx) - (hw - r);
  const qy = Math.abs(y - cy) - (hh - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function sdSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const pax = x - ax, pay = y - ay, bax = bx - ax, bay = by - ay;
  const h = Math.min(1, Math.max(0, (pax * bax + pay * bay) / (bax * bax + bay * bay)));
  return Math.hypot(pax - bax * h, pay - bay * h);
}

function sdTriangle(x: number, y: number, t: [number, number, number, number, number, number]): number {
  const [ax, ay, bx, by, cx, cy] = t;
  const d = Math.min(sdSegment(x, y, ax, ay, bx, by), sdSegment(x, y, bx, by, cx, cy), sdSegment(x, y, cx, cy, ax, ay));
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  const inside = (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  return inside ? -d : d;
}

interface Bubble { cx: number; cy: number; hw: number; hh: number; r: number; tail: [number, number, number, number, number, number] }

function sdBubble(x: number, y: number, b: Bubble): number {
  return Math.min(sdRoundRect(x, y, b.cx, b.cy, b.hw, b.hh, b.r), sdTriangle(x, y, b.tail));
}

/** The classic implicit heart, (x² + y² − 1)³ − x²y³ ≤ 0, centred and scaled. */
function heart(cx: number, cy: number, scale: number): Shape {
  return (x, y) => {
    const u = (x - cx) / scale;
    const v = -(y - cy) / scale + 0.15;
    const a = u * u + v * v - 1;
    return a * a * a - u * u * v * v * v <= 0;
  };
}

/** Paints layers back to front with 4×4 supersampling for smooth edges. */
function render(size: number, background: Rgba, layers: Array<{ shape: Shape; color: Rgba }>): Rgba[] {
  const out: Rgba[] = [];
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = px + (sx + 0.5) / n;
          const y = py + (sy + 0.5) / n;
          let c = background;
          for (const l of layers) if (l.shape(x, y)) c = l.color;
          // Premultiplied accumulation keeps transparent edges from darkening.
          acc[0]! += c[0] * c[3]; acc[1]! += c[1] * c[3]; acc[2]! += c[2] * c[3]; acc[3]! += c[3];
        }
      }
      const a = acc[3]! / (n * n);
      out.push(a === 0 ? [0, 0, 0, 0] : [Math.round(acc[0]! / acc[3]!), Math.round(acc[1]! / acc[3]!), Math.round(acc[2]! / acc[3]!), Math.round(a)]);
    }
  }
  return out;
}

export function drawColorIcon(): Buffer {
  const b: Bubble = { cx: 96, cy: 86, hw: 60, hh: 46, r: 24, tail: [64, 118, 100, 118, 56, 156] };
  return encodePng(192, 192, render(192, ACCENT, [
    { shape: (x, y) => sdBubble(x, y, b) <= 0, color: WHITE },
    { shape: heart(96, 86, 25), color: ACCENT },
  ]));
}

/** White on transparent, as Teams requires for the outline icon. */
export function drawOutlineIcon(): Buffer {
  const b: Bubble = { cx: 16, cy: 14, hw: 13.5, hh: 10.5, r: 5, tail: [9, 22, 16, 22, 7, 30] };
  return encodePng(32, 32, render(32, CLEAR, [
    { shape: (x, y) => { const d = sdBubble(x, y, b); return d <= 0 && d >= -2; }, color: WHITE },
    { shape: heart(16, 14.2, 5.2), color: WHITE },
  ]));
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]).endsWith(path.join('scripts', 'teams-icons.ts'));
if (isMain) {
  const dir = path.resolve('manifests/teams');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'color.png'), drawColorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), drawOutlineIcon());
  process.stdout.write(`Icônes Teams écrites dans ${dir}\n`);
}
