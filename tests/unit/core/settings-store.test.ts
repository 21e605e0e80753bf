import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../../src/shared/api/settings'
import { SETTINGS_FILE, SettingsStore } from '../../../src/main/core/settings/settings-store'
import { silentLogger } from '../../../src/main/core/log/logger'
import { TEMP_PREFIX } from '../../../src/main/core/store/durable-file'

describe('settings store (a real file in a temp profile directory)', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-settings-'))
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('starts from defaults, persists a change atomically with mode 0600, and reads it back', async () => {
    expect(await new SettingsStore(dir, silentLogger).get()).toEqual(DEFAULT_SETTINGS)
    await new SettingsStore(dir, silentLogger).update({ theme: 'dark', homeRelayUrl: 'wss://relay.example' })
    const reread = await new SettingsStore(dir, silentLogger).get()
    expect(reread).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', homeRelayUrl: 'wss://relay.example' })
    if (process.platform !== 'win32') expect((await stat(join(dir, SETTINGS_FILE))).mode & 0o777).toBe(0o600)
    expect((await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX))).toEqual([]) // no temp files left behind
  })

  it.each(['{not json', '[]', '{"theme":"neon"}', '\u0000\u0001'])('moves an unreadable file aside (%j) instead of losing it', async (content) => {
    await writeFile(join(dir, SETTINGS_FILE), content)
    const store = new SettingsStore(dir, silentLogger)
    expect(await store.get()).toEqual(DEFAULT_SETTINGS)
    const aside = (await readdir(dir)).find((name) => name.startsWith(`${SETTINGS_FILE}.unreadable-`))
    expect(aside).toBeDefined()
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(content)
  })

  it('keeps known fields of an older file and fills new ones with defaults', async () => {
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ theme: 'light' }))
    expect(await new SettingsStore(dir, silentLogger).get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' })
  })
})
