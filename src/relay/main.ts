import { ConfigError, configHelp, loadConfig } from './config'
import { startRelay } from './server'

/**
 * `npm run relay` / `tessera-relay`: starts the relay with defaults, env
 * (TESSERA_RELAY_*) and flags (docs/relay.md); SIGTERM/SIGINT shut it down
 * gracefully.
 */
async function main(): Promise<void> {
  // A closed stdout (the log reader went away) must not crash the relay with EPIPE.
  process.stdout.on('error', () => {})
  const argv = process.argv.slice(2)
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(configHelp())
    return
  }
  let config
  try {
    config = loadConfig(argv, process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tessera-relay: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  const relay = await startRelay(config)
  const shutdown = (signal: string): void => {
    relay.ctx.logger.info('signal received', { signal })
    relay.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'relay failed to start', error: error instanceof Error ? error.message : String(error) }))
  process.exit(1)
})
