import { describe, expect, it } from 'vitest'
import { SyncEvents, type ConnectionStateChanged } from '../../../src/main/core/sync/sync-events'

describe('SyncEvents (typed emitter)', () => {
  it('delivers payloads to listeners and unsubscribes with the returned function', () => {
    const events = new SyncEvents()
    const seen: ConnectionStateChanged[] = []
    const off = events.on('connectionStateChanged', (event) => seen.push(event))
    events.emit('connectionStateChanged', { relayUrl: 'ws://a/', state: 'connecting', attempt: 0 })
    off()
    events.emit('connectionStateChanged', { relayUrl: 'ws://a/', state: 'online', attempt: 0 })
    expect(seen).toEqual([{ relayUrl: 'ws://a/', state: 'connecting', attempt: 0 }])
    expect(events.listenerCount('connectionStateChanged')).toBe(0)
  })

  it('a throwing listener neither stops the emitter nor the listeners after it', () => {
    const reported: unknown[] = []
    const events = new SyncEvents((error) => reported.push(error))
    let reached = false
    events.on('syncProgress', () => {
      throw new Error('ui bug')
    })
    events.on('syncProgress', () => {
      reached = true
    })
    events.emit('syncProgress', { relayUrl: 'ws://a/', received: 1 })
    expect(reached).toBe(true)
    expect(reported).toHaveLength(1)
  })
})
