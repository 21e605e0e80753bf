import { defineConfig } from 'vitest/config'

// One run for every suite that `npm test` covers. Slow suites (benchmarks,
// soak, fuzz campaigns) live under tests/bench and have their own scripts.
export default defineConfig({
  test: {
    include: ['tests/{unit,integration,e2e}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default']
  }
})
