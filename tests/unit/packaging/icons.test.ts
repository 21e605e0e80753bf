import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { icnsEntries, icoSizes, linuxIconSizes, masterIconSize, renderIcon, renderTrayTemplate, trayIconFiles } from '../../../scripts/make-icons.mjs'

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

interface PngInfo {
  width: number
  height: number
  bitDepth: number
  colourType: number
  idat: Buffer
}

/** Walks the PNG chunks, checking every CRC-framed length, and returns the header fields. */
function parsePng(bytes: Buffer): PngInfo {
  expect(bytes.subarray(0, 8).equals(pngSignature)).toBe(true)
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR')
  const idatParts: Buffer[] = []
  let offset = 8
  let sawEnd = false
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('latin1', offset + 4, offset + 8)
    if (type === 'IDAT') idatParts.push(bytes.subarray(offset + 8, offset + 8 + length))
    offset += 12 + length
    if (type === 'IEND') sawEnd = true
  }
  expect(sawEnd).toBe(true)
  expect(offset).toBe(bytes.length)
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes.readUInt8(24),
    colourType: bytes.readUInt8(25),
    idat: Buffer.concat(idatParts)
  }
}

/** Decodes the RGBA pixels of a PNG whose scanlines all use filter 0 (what make-icons writes). */
function decodeUnfilteredRgba(info: PngInfo): Uint8Array {
  const raw = inflateSync(info.idat)
  const stride = info.width * 4
  const pixels = new Uint8Array(stride * info.height)
  for (let row = 0; row < info.height; row++) {
    expect(raw[row * (stride + 1)]).toBe(0)
    pixels.set(raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1)), row * stride)
  }
  return pixels
}

function expectSquareRgbaPng(bytes: Buffer, size: number): void {
  const info = parsePng(bytes)
  expect({ width: info.width, height: info.height, bitDepth: info.bitDepth, colourType: info.colourType }).toEqual({
    width: size,
    height: size,
    bitDepth: 8,
    colourType: 6
  })
}

describe('committed icons', () => {
  it('has the master icon and every Linux size as RGBA PNGs', () => {
    expectSquareRgbaPng(readFileSync('resources/icon.png'), masterIconSize)
    expect(linuxIconSizes).toEqual(expect.arrayContaining([16, 32, 48, 128, 256, 512]))
    for (const size of linuxIconSizes) expectSquareRgbaPng(readFileSync(`resources/icons/${size}x${size}.png`), size)
  })

  it('has a Windows ICO whose directory matches its embedded PNGs, up to 256 px', () => {
    const ico = readFileSync('build/icon.ico')
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, icoSizes.length])
    expect(icoSizes).toContain(256) // electron-builder refuses a Windows icon smaller than 256 px
    icoSizes.forEach((size, i) => {
      const entry = 6 + 16 * i
      expect(ico.readUInt8(entry) || 256).toBe(size)
      expect(ico.readUInt16LE(entry + 6)).toBe(32)
      const length = ico.readUInt32LE(entry + 8)
      const start = ico.readUInt32LE(entry + 12)
      expectSquareRgbaPng(ico.subarray(start, start + length), size)
    })
  })

  it('has a macOS ICNS whose elements hold PNGs of the sizes their types promise', () => {
    const icns = readFileSync('build/icon.icns')
    expect(icns.toString('latin1', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found: [string, number][] = []
    for (let offset = 8; offset < icns.length; ) {
      const type = icns.toString('latin1', offset, offset + 4)
      const length = icns.readUInt32BE(offset + 4)
      const info = parsePng(icns.subarray(offset + 8, offset + length))
      found.push([type, info.width])
      offset += length
    }
    expect(found).toEqual(icnsEntries)
    expect(found.map(([type]) => type)).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']))
  })

  it('has tray images at 1x and 2x, the macOS ones as black-and-alpha template images', () => {
    expect(trayIconFiles.map(([file]) => file)).toEqual([
      'resources/tray/tray.png',
      'resources/tray/tray@2x.png',
      'resources/tray/trayTemplate.png',
      'resources/tray/trayTemplate@2x.png'
    ])
    for (const [file, size, kind] of trayIconFiles) {
      const info = parsePng(readFileSync(file))
      expect([info.width, info.height], file).toEqual([size, size])
      if (kind !== 'template') continue
      const pixels = decodeUnfilteredRgba(info)
      expect(Buffer.from(pixels).equals(Buffer.from(renderTrayTemplate(size))), file).toBe(true)
      const colourBytes = pixels.filter((_, i) => i % 4 !== 3)
      expect(colourBytes.every((byte) => byte === 0), file).toBe(true)
      expect(pixels.some((byte, i) => i % 4 === 3 && byte === 255), file).toBe(true)
    }
  })

  it('matches what the generator draws today (re-run scripts/make-icons.mjs after a design change)', () => {
    const committed = decodeUnfilteredRgba(parsePng(readFileSync('resources/icons/64x64.png')))
    const drawn = renderIcon(64)
    expect(Buffer.from(committed).equals(Buffer.from(drawn))).toBe(true)
    // Transparent corners, opaque centre: the logo is a rounded square, not a blank canvas.
    expect(drawn[3]).toBe(0)
    expect(drawn[(32 * 64 + 32) * 4 + 3]).toBe(255)
  })
})
