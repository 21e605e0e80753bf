import { defineConfig } from 'vitest/config'

/**
 * These suites test the Linux Secret Service itself (a locked collection, no
 * Secret Service on the bus) through private D-Bus sessions; macOS and
 * Windows have neither D-Bus nor gnome-keyring. Everything else runs on every
 * OS, the end-to-end tests against the native keychain (tests/support/test-keychain.ts).
 */
const LINUX_SECRET_SERVICE_SUITES = [
  'tests/unit/keys/database-key-vault.test.ts',
  'tests/unit/keys/keychain-unavailable.test.ts',
  'tests/unit/keys/keytar-vault.test.ts'
]

// One run for every suite that `npm test` covers. Slow suites (benchmarks,
// soak, fuzz campaigns) live under tests/bench and have their own scripts.
export default defineConfig({
  test: {
    include: ['tests/{unit,integration,e2e}/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(process.platform === 'linux' ? [] : LINUX_SECRET_SERVICE_SUITES)],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default']
  }
})
