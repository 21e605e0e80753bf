export * from './device-keys'
export * from './device-certificate'
export * from './device-list'
