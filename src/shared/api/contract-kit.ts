import type { z } from 'zod'
import type { Result } from './result'

/**
 * The building blocks of the IPC contract. A contract is a plain table; the
 * preload, the main-process host and the test host all derive their surface
 * from it, so adding a method is a one-place change (docs/architecture.md).
 */

declare const typeTag: unique symbol

/** Carries a TypeScript type through a value-level table; it has no runtime content. */
export interface TypeOnly<T> {
  readonly [typeTag]?: T
}

export const typeOnly = <T>(): TypeOnly<T> => ({})

export interface MethodSpec<Input extends z.ZodType, Output> {
  readonly summary: string
  readonly input: Input
  readonly output: TypeOnly<Output>
}

export interface EventSpec<Payload> {
  readonly summary: string
  readonly payload: TypeOnly<Payload>
}

export const method = <Input extends z.ZodType, Output>(spec: MethodSpec<Input, Output>): MethodSpec<Input, Output> =>
  spec

export const event = <Payload>(summary: string): EventSpec<Payload> => ({ summary, payload: typeOnly<Payload>() })

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds methods of every input/output type
export type AnyMethodSpec = MethodSpec<z.ZodType, any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- likewise for event payloads
export type AnyEventSpec = EventSpec<any>

export interface ContractTable {
  readonly methods: Readonly<Record<string, AnyMethodSpec>>
  readonly events: Readonly<Record<string, AnyEventSpec>>
}

export type MethodName<C extends ContractTable> = keyof C['methods'] & string
export type EventName<C extends ContractTable> = keyof C['events'] & string

/** What the caller passes (before parsing: defaults may fill gaps). */
export type MethodInput<S> = S extends MethodSpec<infer I, unknown> ? z.input<I> : never
/** What the handler receives (after parsing). */
export type ParsedInput<S> = S extends MethodSpec<infer I, unknown> ? z.output<I> : never
export type MethodOutput<S> = S extends MethodSpec<z.ZodType, infer O> ? O : never
export type EventPayload<S> = S extends EventSpec<infer P> ? P : never

/** `settingsChanged` -> `onSettingsChanged`: the subscription function on the bridge. */
export type SubscriptionName<E extends string> = `on${Capitalize<E>}`

export const subscriptionName = <E extends string>(eventName: E): SubscriptionName<E> =>
  `on${eventName.charAt(0).toUpperCase()}${eventName.slice(1)}` as SubscriptionName<E>

type CallSignature<S> = undefined extends MethodInput<S>
  ? (input?: MethodInput<S>) => Promise<Result<MethodOutput<S>>>
  : (input: MethodInput<S>) => Promise<Result<MethodOutput<S>>>

/** The surface `window.tessera` has in the renderer: one function per method, one `onX` per event. */
export type BridgeApi<C extends ContractTable> = {
  readonly [M in MethodName<C>]: CallSignature<C['methods'][M]>
} & {
  readonly [E in EventName<C> as SubscriptionName<E>]: (
    handler: (payload: EventPayload<C['events'][E]>) => void
  ) => () => void
}

/** The main-process implementation of a contract: one handler per method. */
export type ContractHandlers<C extends ContractTable> = {
  readonly [M in MethodName<C>]: (input: ParsedInput<C['methods'][M]>) => Promise<MethodOutput<C['methods'][M]>>
}

/** IPC channel names are derived, never typed by hand. */
export const methodChannel = (name: string): string => `tessera:call:${name}`
export const eventChannel = (name: string): string => `tessera:event:${name}`
