import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJsonLogger } from '../../src/main/core/log/logger'
import { DEFAULT_RENDERER_DIR, startTestHost } from './test-host'

// `npm run host`: the real UI in any browser, against the real core under Node (no Electron needed).
const profileDir = process.env['TESSERA_PROFILE_DIR'] ?? (await mkdtemp(join(tmpdir(), 'tessera-host-')))
const host = await startTestHost({ profileDir, rendererDir: DEFAULT_RENDERER_DIR, log: createJsonLogger('test-host') })
console.log(`Tessera test host: ${host.url}  (profile dir ${profileDir}; Ctrl+C to stop)`)
process.on('SIGINT', () => void host.close().then(() => process.exit(0)))
