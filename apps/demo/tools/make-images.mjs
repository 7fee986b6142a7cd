// Draws the codelab's two images (a white bell on cyan, and the same bell as a
// white-on-transparent badge) and writes them as PNGs. Run it again only if the
// drawing changes: `node tools/make-images.mjs`. The output is committed, so the
// demo needs neither a download nor this script at run time.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const CYAN = [0x00, 0xbc, 0xd4];
const WHITE = [0xff, 0xff, 0xff];

/** True when the point (u, v), both in [0, 1], lies inside the bell. */
function inBell(u, v) {
  const dx = u - 0.5;
  if (v <= 0.44 && dx * dx + (v - 0.44) ** 2 <= 0.21 ** 2) return true; // dome
  if (v > 0.44 && v <= 0.68 && Math.abs(dx) <= 0.21 + (v - 0.44) * 0.3) return true; // flaring body
  if (v > 0.66 && v <= 0.73 && Math.abs(dx) <= 0.31) return true; // rim
  if (dx * dx + (v - 0.79) ** 2 <= 0.065 ** 2) return true; // clapper
  if (dx * dx + (v - 0.22) ** 2 <= 0.045 ** 2) return true; // knob
  return false;
}

function inCircle(u, v) {
  return (u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.5 ** 2;
}

/** Renders RGBA pixels with 4×4 supersampling so the edges are smooth. */
function render(size, badge) {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bell = 0;
      let disc = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const u = (x + (sx + 0.5) / n) / size;
          const v = (y + (sy + 0.5) / n) / size;
          if (inBell(u, v)) bell++;
          if (inCircle(u, v)) disc++;
        }
      }
      const a = bell / (n * n);
      const i = (y * size + x) * 4;
      if (badge) {
        // Android draws badges from the alpha channel only: white on transparent.
        px.set([...WHITE, Math.round(a * 255)], i);
      } else {
        const c = CYAN.map((ch, k) => Math.round(ch * (1 - a) + WHITE[k] * a));
        px.set([...c, Math.round((disc / (n * n)) * 255)], i);
      }
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** PNG (RFC 2083): signature, IHDR (8-bit RGBA), one zlib IDAT with filter 0 rows, IEND. */
function encodePng(size, rgba) {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}

const dir = new URL("../public/images/", import.meta.url);
writeFileSync(new URL("icon.png", dir), encodePng(192, render(192, false)));
writeFileSync(new URL("badge.png", dir), encodePng(72, render(72, true)));
console.log("wrote public/images/icon.png (192×192) and public/images/badge.png (72×72)");
