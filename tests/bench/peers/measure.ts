// Small measurement helpers shared by the relay benchmark's load generators.
import { performance } from 'node:perf_hooks'

export interface RateFigure {
  readonly messages: number
  readonly seconds: number
  readonly perSecond: number
}

export interface LatencyFigure {
  readonly samples: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  /** Messages per second actually offered (the pacer may fall behind on a loaded machine). */
  readonly offeredPerSecond: number
}

export function rateOf(messages: number, startedAt: number, endedAt: number): RateFigure {
  const seconds = Math.max((endedAt - startedAt) / 1000, 1e-9)
  return { messages, seconds, perSecond: messages / seconds }
}

/** Nearest-rank percentile of an unsorted sample (sorts a copy). */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = Float64Array.from(samples).sort()
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

export function latencyOf(samplesMs: readonly number[], offeredPerSecond: number): LatencyFigure {
  return {
    samples: samplesMs.length,
    p50Ms: percentile(samplesMs, 0.5),
    p99Ms: percentile(samplesMs, 0.99),
    maxMs: samplesMs.length === 0 ? Number.NaN : Math.max(...samplesMs),
    offeredPerSecond
  }
}

/**
 * Calls `sendDue(count)` so that `rate` messages per second are offered in
 * total, catching up after timer jitter, for at most `durationMs`.
 * Resolves with the number of messages offered.
 */
export async function paceSends(rate: number, durationMs: number, total: number, sendDue: (count: number) => void): Promise<number> {
  const startedAt = performance.now()
  let offered = 0
  while (offered < total) {
    const elapsed = performance.now() - startedAt
    if (elapsed > durationMs) break
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate)) - offered
    if (due > 0) {
      sendDue(due)
      offered += due
    }
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return offered
}

export function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve()
      else if (performance.now() > deadline) reject(new Error(`timed out waiting for ${what}`))
      else setTimeout(check, 2)
    }
    check()
  })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
