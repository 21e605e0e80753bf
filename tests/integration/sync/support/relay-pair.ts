// The common world of the sync integration tests: one real relay process and
// two clients, alice and bob, whose test envelopes share one AEAD key.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { readyCrypto } from './aead-envelopes'
import { RelayProcess } from './relay-process'
import { createTestMailbox } from './test-account'
import { TestClient } from './test-client'

export interface RelayPair {
  readonly relay: RelayProcess
  readonly alice: TestClient
  readonly bob: TestClient
}

/**
 * Starts the relay (with `relayFlags`) and both clients before the file's
 * tests, hands them to `onStarted`, and disposes of them after the tests.
 */
export function useRelayPair(onStarted: (pair: RelayPair) => void, relayFlags: readonly string[] = []): void {
  let pair: Partial<{ -readonly [K in keyof RelayPair]: RelayPair[K] }> = {}
  beforeAll(async () => {
    await readyCrypto()
    pair.relay = await RelayProcess.start(relayFlags)
    const sharedKey = new Uint8Array(randomBytes(32))
    pair.alice = await TestClient.create('alice', await createTestMailbox(pair.relay.url), sharedKey)
    pair.bob = await TestClient.create('bob', await createTestMailbox(pair.relay.url), sharedKey)
    onStarted(pair as RelayPair)
  })
  afterAll(async () => {
    await pair.alice?.dispose()
    await pair.bob?.dispose()
    await pair.relay?.dispose()
    pair = {}
  })
}
