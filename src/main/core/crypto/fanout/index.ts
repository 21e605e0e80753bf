export * from './session-store'
export * from './fanout-encrypt'
export * from './fanout-decrypt'
