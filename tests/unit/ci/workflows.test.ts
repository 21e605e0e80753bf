import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// The workflows cannot run on this machine; this checks their shape so a
// careless edit (a dropped OS, a wrong Node, a tag trigger lost) fails here.
interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  if?: string
  'runs-on'?: string
  container?: { image: string; options?: string }
  needs?: string | string[]
  uses?: string
  strategy?: { matrix: { include?: Record<string, string>[]; os?: string[] } }
  env?: Record<string, string>
  steps?: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const load = (file: string) => parse(readFileSync(file, 'utf8')) as Workflow
const ci = load('.github/workflows/ci.yml')
const release = load('.github/workflows/release.yml')
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }

const runs = (job: Job | undefined) => (job?.steps ?? []).map((step) => step.run ?? '').join('\n')
const matrixOses = (job: Job | undefined) => (job?.strategy?.matrix.include ?? []).map((entry) => entry['os'])
const nodeVersions = (job: Job | undefined) =>
  (job?.steps ?? []).filter((step) => step.uses?.startsWith('actions/setup-node')).map((step) => step.with?.['node-version'])

describe('ci.yml', () => {
  it('runs on pushes to main, pull requests and when release.yml calls it', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call'])
  })

  it('tests Linux in Debian with Node 22, the keyring stack and Chromium, through `npm test`', () => {
    const linux = ci.jobs['test-linux']
    expect(linux?.['runs-on']).toBe('ubuntu-latest')
    expect(linux?.container?.image).toBe('node:22-bookworm')
    const commands = runs(linux)
    for (const pkg of ['libsecret-1-dev', 'gnome-keyring', 'dbus', 'chromium']) expect(commands).toContain(pkg)
    expect(commands).toMatch(/^npm ci$/m)
    expect(commands).toMatch(/^npm test$/m)
    expect(linux?.env?.['CHROMIUM_PATH']).toBe('/usr/bin/chromium')
  })

  it('tests macOS and Windows with Node 22 through the ABI check and `npm run test:all`', () => {
    const desktop = ci.jobs['test-desktop']
    expect(matrixOses(desktop)).toEqual(['macos-latest', 'windows-latest'])
    expect(nodeVersions(desktop)).toEqual([22])
    const commands = runs(desktop)
    expect(commands).toMatch(/^npm ci$/m)
    expect(commands).toMatch(/^npm run native:node$/m)
    expect(commands).toMatch(/^npm run test:all$/m)
    for (const entry of desktop?.strategy?.matrix.include ?? []) expect(entry['chromium'], entry['os']).toBeTruthy()
  })

  it('builds the unsigned installers of the three OSes, except when release.yml builds them itself', () => {
    const pack = ci.jobs['package-check']
    expect(matrixOses(pack)).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(nodeVersions(pack)).toEqual([22])
    expect(runs(pack)).toContain('npm run package:${{ matrix.platform }} -- --publish never')
    expect(pack?.if).toBe("github.ref_type != 'tag'")
  })

  it('relies on scripts that exist and cover lint, typecheck and the tests', () => {
    expect(manifest.scripts['test']).toContain('npm run test:all')
    expect(manifest.scripts['pretest']).toContain('native:node')
    expect(manifest.scripts['test:all']).toMatch(/npm run lint/)
    expect(manifest.scripts['test:all']).toMatch(/npm run typecheck/)
    expect(manifest.scripts['test:all']).toMatch(/vitest run/)
  })
})

describe('release.yml', () => {
  it('runs only for version tags', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } })
    expect(release.permissions?.['contents']).toBe('write')
  })

  it('runs CI first, creates a draft, builds on the three OSes, then publishes', () => {
    expect(release.jobs['tests']?.uses).toBe('./.github/workflows/ci.yml')
    expect(release.jobs['create-release']?.needs).toBe('tests')
    expect(runs(release.jobs['create-release'])).toMatch(/gh release create "\$GITHUB_REF_NAME" --draft/)
    const build = release.jobs['build']
    expect(build?.needs).toBe('create-release')
    expect(matrixOses(build)).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(nodeVersions(build)).toEqual([22])
    expect(release.jobs['publish-release']?.needs).toBe('build')
    expect(runs(release.jobs['publish-release'])).toMatch(/gh release edit .* --draft=false/)
  })

  it('packages each OS with its package script and publishes', () => {
    const build = release.jobs['build']
    const platforms = (build?.strategy?.matrix.include ?? []).map((entry) => entry['platform'])
    expect(platforms).toEqual(['linux', 'mac', 'win'])
    for (const platform of platforms) expect(manifest.scripts[`package:${platform}`], platform).toMatch(/electron-builder --/)
    expect(runs(build)).toContain('npm run package:${{ matrix.platform }} -- --publish always')
  })

  it('passes signing secrets through without requiring them', () => {
    const step = release.jobs['build']?.steps?.find((candidate) => candidate.run?.includes('npm run package:'))
    const env = step?.env ?? {}
    for (const name of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD']) {
      expect(env[name], name).toBe(`\${{ secrets.${name} }}`)
    }
    expect(env['GH_TOKEN']).toBe('${{ secrets.GITHUB_TOKEN }}')
    // No step may refuse to run when a signing secret is absent.
    const allSteps = Object.values(release.jobs).flatMap((job) => job.steps ?? [])
    expect(allSteps.filter((candidate) => /secrets\.(?!GITHUB_TOKEN)/.test(candidate.if ?? ''))).toEqual([])
  })
})
