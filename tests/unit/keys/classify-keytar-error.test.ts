import { describe, expect, it } from 'vitest'
import { classifyKeytarError } from '../../../src/main/core/keys/keytar-vault'

// The messages keytar/libsecret actually produce (docs/decisions/0033-keychain-failure-states.md);
// the locked and no-service ones are also produced live by the keychain tests.
describe('classifyKeytarError', () => {
  it.each([
    ['Cannot create an item in a locked collection', 'keychain-locked'],
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain-unavailable'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'keychain-unavailable'],
    ['Could not connect: No such file or directory', 'keychain-unavailable']
  ])('%s -> %s', (message, code) => {
    expect(classifyKeytarError(new Error(message)).code).toBe(code)
  })
})
