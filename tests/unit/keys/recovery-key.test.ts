import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateRecoveryKey, parseRecoveryKey, RecoveryKeyError } from '../../../src/main/core/keys/recovery-key'

function codeOf(input: string): string | undefined {
  try {
    parseRecoveryKey(input)
    return undefined
  } catch (error) {
    return error instanceof RecoveryKeyError ? error.code : 'other'
  }
}

describe('recovery key', () => {
  it('is 32 Crockford base32 characters in 8 groups of 4 and parses back to its 16 bytes', () => {
    const entropy = new Uint8Array(16).map((_, i) => i * 17)
    const key = generateRecoveryKey(entropy)
    expect(key.text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(Buffer.from(parseRecoveryKey(key.text))).toEqual(Buffer.from(entropy))
  })

  it('round-trips any entropy, whatever case and separators the user types', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (entropy, lower) => {
        const { text } = generateRecoveryKey(entropy)
        const typed = (lower ? text.toLowerCase() : text).replaceAll('-', ' ')
        expect(Buffer.from(parseRecoveryKey(typed))).toEqual(Buffer.from(entropy))
      })
    )
  })

  it('reads the look-alikes O as 0 and I/L as 1', () => {
    const { text, entropy } = generateRecoveryKey(new Uint8Array(16))
    expect(text).toContain('0')
    expect(Buffer.from(parseRecoveryKey(text.replaceAll('0', 'O')))).toEqual(Buffer.from(entropy))
  })

  it('rejects wrong length, bad characters and typos with typed errors', () => {
    const { text } = generateRecoveryKey()
    expect(codeOf('')).toBe('wrong-length')
    expect(codeOf(text.slice(0, -1))).toBe('wrong-length')
    expect(codeOf(text + 'A')).toBe('wrong-length')
    expect(codeOf(text.slice(0, -1) + 'U')).toBe('bad-character')
    expect(codeOf(text.slice(0, -1) + '!')).toBe('bad-character')
    expect(codeOf(42 as unknown as string)).toBe('bad-character')
  })

  it('detects every single-character substitution (32-bit checksum)', () => {
    const { text } = generateRecoveryKey()
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
    const chars = text.replaceAll('-', '')
    for (let position = 0; position < chars.length; position++) {
      for (const replacement of alphabet) {
        if (replacement === chars[position]) continue
        const typo = chars.slice(0, position) + replacement + chars.slice(position + 1)
        expect(codeOf(typo)).toBe('bad-checksum')
      }
    }
  })

  it('error messages never echo the input', () => {
    const { text } = generateRecoveryKey()
    const typo = text.slice(0, -1) + (text.endsWith('Z') ? 'Y' : 'Z')
    const error = (() => {
      try {
        parseRecoveryKey(typo)
      } catch (caught) {
        return caught as Error
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(RecoveryKeyError)
    expect(error?.message).not.toContain(typo.slice(0, 4))
  })
})
