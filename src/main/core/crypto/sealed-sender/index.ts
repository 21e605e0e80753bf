export * from './envelope'
export * from './delivery-token'
export * from './replay-guard'
