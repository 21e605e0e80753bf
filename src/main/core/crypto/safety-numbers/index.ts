export * from './numeric-fingerprint'
export * from './safety-number'
