import fc from 'fast-check'

/** Valid-looking inputs of the contract's methods, as seeds for mutation. */
export const VALID_SEEDS: ReadonlyArray<readonly [string, unknown]> = [
  ['getAppInfo', undefined],
  ['getSettings', undefined],
  ['updateSettings', { theme: 'dark' }],
  ['updateSettings', { notifications: 'off', minimizeToTray: false }],
  ['updateSettings', { homeRelayUrl: 'wss://relay.example' }],
  ['openExternalLink', { url: 'https://example.org/a?b=c' }]
]

/** Replace, drop or add one field, or swap the whole value for something random. */
function mutate(value: unknown, random: () => number, replacement: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return replacement
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
  const keys = Object.keys(copy)
  const choice = Math.floor(random() * 4)
  const key = keys[Math.floor(random() * keys.length)] ?? 'x'
  if (choice === 0) copy[key] = replacement
  else if (choice === 1) delete copy[key]
  else if (choice === 2) copy[`extra${Math.floor(random() * 3)}`] = replacement
  else return replacement
  return copy
}

/** `count` (method, payload) pairs: half random values of any shape, half mutated valid inputs. Seeded. */
export function fuzzPayloads(count: number, seed: number, methodNames: readonly string[]): Array<[string, unknown]> {
  const anything = fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: false, withMap: false, withSet: false, withTypedArray: true })
  const randoms = fc.sample(anything, { numRuns: count, seed })
  let state = seed >>> 0
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
  return randoms.map((randomValue, index) => {
    if (index % 2 === 0) return [methodNames[index % methodNames.length]!, randomValue]
    const [name, valid] = VALID_SEEDS[index % VALID_SEEDS.length]!
    return [name, mutate(valid, random, randomValue)]
  })
}
