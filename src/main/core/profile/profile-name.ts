import { AppError } from '../api/app-error'

export const DEFAULT_PROFILE = 'default'

/**
 * `--profile NAME` selects a separate data directory, so several accounts can
 * run side by side. The name becomes a directory name: only lower-case
 * letters, digits, '-' and '_', so no path separator or '..' can appear;
 * Windows device names ('con', 'nul', 'com1', ...) are refused explicitly.
 */
const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/
const WINDOWS_RESERVED = new Set(['con', 'prn', 'aux', 'nul', ...range('com'), ...range('lpt')])

function range(prefix: string): string[] {
  return Array.from({ length: 9 }, (_, i) => `${prefix}${i + 1}`)
}

export function parseProfileName(value: string): string {
  if (!PROFILE_NAME.test(value) || WINDOWS_RESERVED.has(value)) {
    throw new AppError('invalid-input', 'A profile name is 1-32 characters: a-z, 0-9, "-" and "_", starting with a letter or digit.')
  }
  return value
}

/** Finds `--profile NAME` or `--profile=NAME` in a command line; the default profile otherwise. */
export function profileFromArgv(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--profile') return parseProfileName(argv[i + 1] ?? '')
    if (arg.startsWith('--profile=')) return parseProfileName(arg.slice('--profile='.length))
  }
  return DEFAULT_PROFILE
}
