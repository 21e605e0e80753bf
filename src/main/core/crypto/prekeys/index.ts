export * from './prekeys'
export * from './prekey-bundle'
export * from './local-prekeys'
