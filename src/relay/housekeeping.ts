import { RelayCloseCode } from '../shared/relay/index'
import type { RelayContext } from './handlers/context'
import type { RelayConnection } from './transport/relay-connection'

const MISSED_PONGS_BEFORE_CLOSE = 4
const SWEEP_INTERVAL_MS = 5_000

/**
 * Periodic work: WebSocket heartbeats, expiry of messages and blobs in
 * batches (one transaction per batch, yielding between batches so delivery
 * keeps flowing), and pruning of idle rate-limit buckets and rendezvous slots.
 */
export function startHousekeeping(ctx: RelayContext, connections: Set<RelayConnection>): { stop(): void } {
  const { config } = ctx
  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (connection.missedPongs >= MISSED_PONGS_BEFORE_CLOSE) {
        connection.close(RelayCloseCode.IDLE_TIMEOUT, 'no pong')
        continue
      }
      connection.missedPongs++
      connection.ping()
    }
  }, config.heartbeatMs)

  const sweep = setInterval(() => {
    const now = ctx.now()
    ctx.rendezvous.sweep(now)
    ctx.limits.sweep(now)
  }, SWEEP_INTERVAL_MS)

  let stopped = false
  const expireBatches = (): void => {
    if (stopped) return
    const now = ctx.now()
    const result = ctx.mailboxes.expire(now, config.retentionMs, config.dedupeWindowMs, config.expiryBatchSize)
    const blobs = ctx.blobs.expire(now, config.expiryBatchSize)
    if (result.expiredMessages + result.forgottenIds + blobs > 0) {
      ctx.metrics.inc('messages_expired_total', undefined, result.expiredMessages)
      ctx.logger.info('expiry batch', { expiredMessages: result.expiredMessages, forgottenIds: result.forgottenIds, expiredBlobs: blobs })
    }
    const full = result.more === true || Math.max(result.expiredMessages, result.forgottenIds, blobs) >= config.expiryBatchSize
    if (full) setImmediate(expireBatches)
  }
  const expiry = setInterval(expireBatches, config.expiryIntervalMs)
  for (const timer of [heartbeat, sweep, expiry]) timer.unref()

  return {
    stop() {
      stopped = true
      clearInterval(heartbeat)
      clearInterval(sweep)
      clearInterval(expiry)
    }
  }
}
