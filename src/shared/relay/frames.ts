import type { FieldSpec, PoolCount, PooledKey } from './frame-schema'
import type { PUSH_SCHEMAS, REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './frame-schema'

/** The TypeScript value a field kind decodes to. */
type FieldValue<F extends FieldSpec> = F['k'] extends 'u8' | 'u16' | 'u32' | 'u64'
  ? number
  : F['k'] extends 'flag'
    ? boolean
    : F['k'] extends 'fixed' | 'bytes'
      ? Uint8Array
      : F['k'] extends 'ascii'
        ? string
        : F['k'] extends 'u64list'
          ? number[]
          : F['k'] extends 'hashList'
            ? Uint8Array[]
          : F['k'] extends 'pooledKeys'
            ? PooledKey[]
            : F['k'] extends 'poolCounts'
              ? PoolCount[]
              : never

type Body<Fields extends readonly FieldSpec[]> = { [F in Fields[number] as F['name']]: FieldValue<F> }

type FramesOf<S extends Record<string, { fields: readonly FieldSpec[] }>> = {
  [T in keyof S & string]: { type: T; requestId: number } & Body<S[T]['fields']>
}

export type RequestFrames = FramesOf<typeof REQUEST_SCHEMAS>
export type ResponseFrames = FramesOf<typeof RESPONSE_SCHEMAS>
export type PushFrames = FramesOf<typeof PUSH_SCHEMAS>

export type RequestType = keyof RequestFrames
export type ResponseType = keyof ResponseFrames
export type PushType = keyof PushFrames

/** A frame a client sends (section 4). */
export type RequestFrame = RequestFrames[RequestType]
/** A response frame the relay sends (section 4). */
export type ResponseFrame = ResponseFrames[ResponseType]
/** A push frame the relay sends (section 4). */
export type PushFrame = PushFrames[PushType]
/** Any frame the relay sends. */
export type ServerFrame = ResponseFrame | PushFrame
export type AnyFrame = RequestFrame | ServerFrame

/** A request's fields without type and request id: what callers of a client pass in. */
export type RequestFields<T extends RequestType> = Omit<RequestFrames[T], 'requestId' | 'type'>

export type { PoolCount, PooledKey }
