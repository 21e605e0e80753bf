import { z } from 'zod'

/**
 * Frames of the test host's WebSocket transport (JSON text frames). This is
 * dev/test infrastructure: it carries the same contract as Electron's IPC
 * so the real renderer can run in a real browser against the real core.
 */
export const MAX_FRAME_BYTES = 1024 * 1024

export const callFrameSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(128),
    input: z.unknown().optional()
  })
  .strict()

export type CallFrame = z.infer<typeof callFrameSchema>

/** host -> page: the Result of call `id` (id null when the frame had no usable id). */
export interface ResultFrame {
  readonly id: number | null
  readonly result: unknown
}

/** host -> page: a contract event. */
export interface EventFrame {
  readonly event: string
  readonly payload: unknown
}

export const HOST_WS_PATH = '/__tessera/ws'
export const HOST_SHIM_PATH = '/__tessera/shim.js'
export const HOST_TOKEN_META = 'tessera-host-token'
