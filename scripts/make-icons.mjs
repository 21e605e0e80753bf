#!/usr/bin/env node
// Draws Tessera's logo (a "T" laid in mosaic tiles on a dark rounded square)
// and writes every icon file the three OSes need, with no downloads and no
// image tools: plain RGBA pixels, PNG via zlib, ICO and ICNS with embedded PNGs.
//
//   resources/icon.png               1024 px, the master (window/tray source)
//   resources/icons/<n>x<n>.png      Linux hicolor sizes, electron-builder linux.icon
//   build/icon.ico                   Windows, PNG entries 16..256
//   build/icon.icns                  macOS, PNG entries 16..1024
//   resources/tray/tray{,@2x}.png    tray icon, Windows and Linux (16 px, 32 px)
//   resources/tray/trayTemplate{,@2x}.png  macOS menu bar template image (black + alpha)
//
// Run: node scripts/make-icons.mjs   (the outputs are committed; re-run after a design change)
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { deflateSync } from 'node:zlib'

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512]
export const icoSizes = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types that hold PNG data, with their pixel size. */
export const icnsEntries = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512]
]
export const masterIconSize = 1024
/** Tray images: Electron picks name@2x.png next to name.png on high-DPI screens. */
export const trayIconFiles = [
  ['resources/tray/tray.png', 16, 'colour'],
  ['resources/tray/tray@2x.png', 32, 'colour'],
  ['resources/tray/trayTemplate.png', 16, 'template'],
  ['resources/tray/trayTemplate@2x.png', 32, 'template']
]

// Design in a 0..1 unit square. Colours are [r, g, b].
const background = { inset: 0.06, radius: 0.2, top: [36, 48, 78], bottom: [20, 27, 46] }
const grid = { origin: 0.2, cell: 0.2, gap: 0.028, radius: 0.035 }
const letterTiles = [[0, 0], [1, 0], [2, 0], [1, 1], [1, 2]] // [column, row] of the "T"
const letterColours = [[64, 196, 180], [250, 190, 80], [240, 110, 90], [90, 150, 240], [64, 196, 180]]
const restColour = [58, 72, 108]

/** Signed distance from (x, y) to a rounded rectangle (negative inside). */
function roundedRectDistance(x, y, left, top, right, bottom, radius) {
  const cx = (left + right) / 2
  const cy = (top + bottom) / 2
  const qx = Math.abs(x - cx) - ((right - left) / 2 - radius)
  const qy = Math.abs(y - cy) - ((bottom - top) / 2 - radius)
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0))
  return outside + Math.min(Math.max(qx, qy), 0) - radius
}

function tileAt(x, y) {
  const col = Math.floor((x - grid.origin) / grid.cell)
  const row = Math.floor((y - grid.origin) / grid.cell)
  if (col < 0 || col > 2 || row < 0 || row > 2) return undefined
  const left = grid.origin + col * grid.cell + grid.gap / 2
  const top = grid.origin + row * grid.cell + grid.gap / 2
  const size = grid.cell - grid.gap
  if (roundedRectDistance(x, y, left, top, left + size, top + size, grid.radius) > 0) return undefined
  const letterIndex = letterTiles.findIndex(([c, r]) => c === col && r === row)
  return letterIndex >= 0 ? letterColours[letterIndex] : restColour
}

/** The colour at one point of the unit square, or undefined where transparent. */
function colourAt(x, y) {
  const { inset, radius, top, bottom } = background
  if (roundedRectDistance(x, y, inset, inset, 1 - inset, 1 - inset, radius) > 0) return undefined
  const tile = tileAt(x, y)
  if (tile) return tile
  const t = (y - inset) / (1 - 2 * inset)
  return top.map((channel, i) => channel + (bottom[i] - channel) * t)
}

/**
 * Renders the logo at `size` px as straight (non-premultiplied) RGBA, with
 * supersampling so edges stay smooth at 16 px as well as at 1024 px.
 * @param {number} size
 * @returns {Uint8Array}
 */
export function renderIcon(size) {
  const samples = size <= 64 ? 8 : size <= 256 ? 4 : 2
  const pixels = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, covered = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          if (!colour) continue
          r += colour[0]; g += colour[1]; b += colour[2]; covered++
        }
      }
      const offset = (py * size + px) * 4
      if (covered === 0) continue
      pixels[offset] = Math.round(r / covered)
      pixels[offset + 1] = Math.round(g / covered)
      pixels[offset + 2] = Math.round(b / covered)
      pixels[offset + 3] = Math.round((255 * covered) / (samples * samples))
    }
  }
  return pixels
}

/**
 * The macOS menu bar wants a template image: black where the tiles are, the
 * rest transparent; the system tints it for light and dark menu bars. The
 * letter tiles are solid and the other tiles faint so the "T" still reads.
 * @param {number} size
 * @returns {Uint8Array}
 */
export function renderTrayTemplate(size) {
  const samples = 8
  const pixels = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let alpha = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          // The tile grid stretched over the whole square: a tray icon has no room for a background.
          const x = grid.origin + ((px + (sx + 0.5) / samples) / size) * grid.cell * 3
          const y = grid.origin + ((py + (sy + 0.5) / samples) / size) * grid.cell * 3
          const tile = tileAt(x, y)
          if (tile) alpha += tile === restColour ? 0.35 : 1
        }
      }
      pixels[(py * size + px) * 4 + 3] = Math.round((255 * alpha) / (samples * samples))
    }
  }
  return pixels
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes) {
  let crc = 0xffffffff
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function pngChunk(type, data) {
  const chunk = Buffer.alloc(12 + data.length)
  chunk.writeUInt32BE(data.length, 0)
  chunk.write(type, 4, 'latin1')
  data.copy(chunk, 8)
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length)
  return chunk
}

/**
 * Encodes square RGBA pixels as an 8-bit RGBA PNG (every scanline filter 0).
 * @param {number} size
 * @param {Uint8Array} rgba
 * @returns {Buffer}
 */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace
  const stride = size * 4
  const raw = Buffer.alloc((stride + 1) * size)
  for (let row = 0; row < size; row++) raw.set(rgba.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/**
 * Windows ICO with PNG-compressed entries (supported since Vista).
 * @param {{ size: number, png: Buffer }[]} images
 */
export function encodeIco(images) {
  const directory = Buffer.alloc(6 + 16 * images.length)
  directory.writeUInt16LE(0, 0)
  directory.writeUInt16LE(1, 2) // 1 = icon
  directory.writeUInt16LE(images.length, 4)
  let offset = directory.length
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i
    directory.writeUInt8(size >= 256 ? 0 : size, entry) // 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, entry + 1)
    directory.writeUInt16LE(1, entry + 4) // colour planes
    directory.writeUInt16LE(32, entry + 6) // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8)
    directory.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([directory, ...images.map(({ png }) => png)])
}

/**
 * macOS ICNS: 'icns' + big-endian total length, then typed elements.
 * @param {{ type: string, png: Buffer }[]} elements
 */
export function encodeIcns(elements) {
  const parts = elements.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

export function writeAllIcons(root = projectRoot) {
  const pngBySize = new Map()
  const pngOf = (size) => {
    if (!pngBySize.has(size)) pngBySize.set(size, encodePng(size, renderIcon(size)))
    return pngBySize.get(size)
  }
  const write = (relative, bytes) => {
    const target = join(root, relative)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, bytes)
    return relative
  }
  const written = [write('resources/icon.png', pngOf(masterIconSize))]
  for (const size of linuxIconSizes) written.push(write(`resources/icons/${size}x${size}.png`, pngOf(size)))
  written.push(write('build/icon.ico', encodeIco(icoSizes.map((size) => ({ size, png: pngOf(size) })))))
  for (const [file, size, kind] of trayIconFiles) {
    written.push(write(file, kind === 'template' ? encodePng(size, renderTrayTemplate(size)) : pngOf(size)))
  }
  written.push(write('build/icon.icns', encodeIcns(icnsEntries.map(([type, size]) => ({ type, png: pngOf(size) })))))
  return written
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url
if (invokedDirectly) {
  for (const file of writeAllIcons()) console.log(`wrote ${file}`)
}
