import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { Settings, SettingsPatch } from '../../../shared/api/settings'
import { DEFAULT_SETTINGS, settingsSchema } from '../../../shared/api/settings'
import type { Logger } from '../log/logger'
import { writeDurably } from '../store/durable-file'

export const SETTINGS_FILE = 'settings.json'

/**
 * Settings of one profile in a small JSON file. A file that cannot be read
 * as settings is never overwritten in place: it is moved aside to
 * `settings.json.unreadable-<time>` (so nothing is lost) and defaults apply.
 */
export class SettingsStore {
  private current: Settings | undefined

  constructor(
    private readonly profileDir: string,
    private readonly log: Logger
  ) {}

  private get path(): string {
    return join(this.profileDir, SETTINGS_FILE)
  }

  async get(): Promise<Settings> {
    this.current ??= await this.load()
    return this.current
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch })
    await writeDurably(this.path, (file) => file.writeFile(JSON.stringify(next, null, 2)))
    this.current = next
    return next
  }

  private async load(): Promise<Settings> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS
      throw error
    }
    const parsed = settingsSchema.partial().safeParse(safeJsonParse(text))
    if (parsed.success) return { ...DEFAULT_SETTINGS, ...parsed.data }
    const aside = `${this.path}.unreadable-${Date.now()}`
    await rename(this.path, aside)
    this.log.warn('settings-unreadable', { movedTo: SETTINGS_FILE + aside.slice(this.path.length) })
    return DEFAULT_SETTINGS
  }
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
