import { z } from 'zod'

/** Where a relay lives. Only WebSocket URLs; `ws:` is allowed for self-hosted relays on a LAN or loopback. */
export const relayUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => /^wss?:\/\/[^\s/?#]+/i.test(value), { message: 'must be a ws:// or wss:// URL' })

export const settingsSchema = z
  .object({
    theme: z.enum(['system', 'light', 'dark']),
    /** What a desktop notification may show. 'sender-only' never puts message text on screen. */
    notifications: z.enum(['off', 'sender-only', 'sender-and-preview']),
    minimizeToTray: z.boolean(),
    homeRelayUrl: relayUrlSchema.nullable()
  })
  .strict()

export type Settings = z.infer<typeof settingsSchema>

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: 'sender-only',
  minimizeToTray: true,
  homeRelayUrl: null
}

/** A change names only the fields it sets; unknown fields are refused. */
export const settingsPatchSchema = settingsSchema.partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>
