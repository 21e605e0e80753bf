import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/main/core/api/app-error'
import { parseExternalLink } from '../../../src/main/core/platform/external-link'
import { DEFAULT_PROFILE, parseProfileName, profileFromArgv } from '../../../src/main/core/profile/profile-name'

describe('--profile NAME', () => {
  it('reads both spellings and defaults when absent', () => {
    expect(profileFromArgv(['electron', '.'])).toBe(DEFAULT_PROFILE)
    expect(profileFromArgv(['app', '--profile', 'work'])).toBe('work')
    expect(profileFromArgv(['app', '--profile=alice_2'])).toBe('alice_2')
  })

  it.each(['', '..', '../x', 'a/b', 'a\\b', 'Work', '-x', 'x'.repeat(33), 'con', 'nul', 'com1', 'lpt9', 'a b'])('refuses %j', (name) => {
    expect(() => parseProfileName(name)).toThrow(AppError)
  })

  it('refuses a --profile flag without a name', () => {
    expect(() => profileFromArgv(['app', '--profile'])).toThrow(AppError)
  })
})

describe('external links', () => {
  it('accepts https only, without credentials', () => {
    expect(parseExternalLink('https://example.org/a?b#c').href).toBe('https://example.org/a?b#c')
    for (const bad of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'tessera://x', 'https://u:p@example.org', 'not a url']) {
      expect(() => parseExternalLink(bad), bad).toThrow(AppError)
    }
  })
})
