import { startShell } from './shell/app-shell'

// The Electron entry point: the shell starts the window and composes the core.
startShell().catch((error: unknown) => {
  console.error('Tessera failed to start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
