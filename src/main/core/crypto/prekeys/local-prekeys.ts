import { wipe } from '../primitives/bytes'
import { KemPreKeyKind, type WithSecret, type KemPreKey, type OneTimePreKey, type SignedPreKey } from './prekeys'

/**
 * What session acceptance needs from the receiving device's private prekeys
 * (docs/protocol.md section 3.3). Lookups return undefined for an unknown or
 * already consumed id; the keys layer persists the material.
 */
export interface PreKeySecrets {
  signedPreKeySecret(keyId: number): Uint8Array | undefined
  /** The signed prekey's public key, if the store keeps it (saves one X25519 base multiplication per acceptance). */
  signedPreKeyPublic?(keyId: number): Uint8Array | undefined
  oneTimePreKeySecret(keyId: number): Uint8Array | undefined
  kemPreKeySecret(keyId: number): { readonly secretKey: Uint8Array; readonly kind: KemPreKeyKind } | undefined
}

/** Ids a successful acceptance consumed; the owner must delete them (one-time means one time). */
export interface ConsumedPreKeys {
  readonly oneTimePreKeyId?: number
  readonly oneTimeKemPreKeyId?: number
}

/**
 * In-memory private prekeys of one device: a real implementation of
 * PreKeySecrets (the keys layer wraps it with persistence). `consume`
 * deletes and wipes one-time keys.
 */
export class LocalPreKeys implements PreKeySecrets {
  private readonly signed = new Map<number, Uint8Array>()
  private readonly signedPublic = new Map<number, Uint8Array>()
  private readonly oneTime = new Map<number, Uint8Array>()
  private readonly kem = new Map<number, { secretKey: Uint8Array; kind: KemPreKeyKind }>()

  addSignedPreKey(key: WithSecret<SignedPreKey>): void {
    this.signed.set(key.public.keyId, key.secretKey)
    this.signedPublic.set(key.public.keyId, key.public.publicKey)
  }

  addOneTimePreKey(key: WithSecret<OneTimePreKey>): void {
    this.oneTime.set(key.public.keyId, key.secretKey)
  }

  addKemPreKey(key: WithSecret<KemPreKey>): void {
    this.kem.set(key.public.keyId, { secretKey: key.secretKey, kind: key.public.kind })
  }

  signedPreKeySecret(keyId: number): Uint8Array | undefined {
    return this.signed.get(keyId)
  }

  signedPreKeyPublic(keyId: number): Uint8Array | undefined {
    return this.signedPublic.get(keyId)
  }

  oneTimePreKeySecret(keyId: number): Uint8Array | undefined {
    return this.oneTime.get(keyId)
  }

  kemPreKeySecret(keyId: number): { secretKey: Uint8Array; kind: KemPreKeyKind } | undefined {
    return this.kem.get(keyId)
  }

  /** Deletes what an accepted session used up (one-time X25519 and one-time KEM prekeys). */
  consume(consumed: ConsumedPreKeys): void {
    if (consumed.oneTimePreKeyId !== undefined) {
      wipe(this.oneTime.get(consumed.oneTimePreKeyId))
      this.oneTime.delete(consumed.oneTimePreKeyId)
    }
    if (consumed.oneTimeKemPreKeyId !== undefined) {
      const entry = this.kem.get(consumed.oneTimeKemPreKeyId)
      if (entry?.kind === KemPreKeyKind.OneTime) {
        wipe(entry.secretKey)
        this.kem.delete(consumed.oneTimeKemPreKeyId)
      }
    }
  }
}
