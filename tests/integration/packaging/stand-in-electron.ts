import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// @electron/fuses finds the fuse wire after this sentinel in the Electron
// binary: one version byte (1), one length byte, then one byte per fuse,
// '0' off / '1' on (https://github.com/electron/fuses).
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/** Fuse order of wire version 1 (@electron/fuses FuseV1Options). */
export const fuseOrder = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges'
] as const
export type FuseName = (typeof fuseOrder)[number]

// What a stock Electron 45 binary ships with: every fuse the config flips
// starts in the opposite state, so an unflipped fuse shows up in the test.
const stockFuses = '10110001'

/**
 * Writes an unpacked "Electron" folder for electron-builder's `electronDist`:
 * an `electron` executable that carries a real fuse wire, so the packaging
 * run flips fuses exactly as it would in a real Electron binary.
 */
export function writeStandInElectron(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const executable = join(dir, 'electron')
  const body = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\nexit 1\n'),
    Buffer.from(fuseSentinel, 'latin1'),
    Buffer.from([1, stockFuses.length]),
    Buffer.from(stockFuses, 'latin1'),
    Buffer.from('\n')
  ])
  writeFileSync(executable, body)
  chmodSync(executable, 0o755)
  writeFileSync(join(dir, 'version'), '45.5.0')
  return dir
}

/** Reads the fuse wire out of a (packaged) Electron executable. */
export function readFuses(binary: Buffer): Record<FuseName, boolean> {
  const start = binary.indexOf(fuseSentinel, 0, 'latin1')
  if (start < 0) throw new Error('no fuse sentinel in the binary')
  const wire = start + fuseSentinel.length
  if (binary[wire] !== 1) throw new Error(`unexpected fuse wire version ${binary[wire]}`)
  const length = binary[wire + 1] ?? 0
  const states = binary.toString('latin1', wire + 2, wire + 2 + length)
  return Object.fromEntries(fuseOrder.map((name, i) => [name, states[i] === '1'])) as Record<FuseName, boolean>
}
