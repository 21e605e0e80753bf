import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'

const fake = await vi.hoisted(async () => (await import('../../support/fake-electron')).createFakeElectron())
vi.mock('electron', () => ({ ...fake.module, default: fake.module }))

const { DEVICE_LINKING_ROUTE, installPermissionPolicy, isPermissionAllowed } = await import('../../../src/main/shell/permissions')
const { CONTENT_SECURITY_POLICY, installContentSecurityPolicy } = await import('../../../src/main/shell/content-security-policy')
const { createAppOrigin } = await import('../../../src/main/shell/app-origin')

const origin = createAppOrigin('/app/out/renderer', undefined)
const linkingUrl = `${origin.entryUrl}${DEVICE_LINKING_ROUTE}`

describe('permissions: everything denied but the camera on the device-linking view', () => {
  it.each([
    ['media', linkingUrl, ['video'], true],
    ['media', linkingUrl, ['audio'], false],
    ['media', linkingUrl, ['video', 'audio'], false],
    ['media', linkingUrl, [], false],
    ['media', `${origin.entryUrl}#/chats`, ['video'], false],
    ['media', `https://evil.example/${DEVICE_LINKING_ROUTE}`, ['video'], false],
    ['notifications', linkingUrl, undefined, false],
    ['geolocation', origin.entryUrl, undefined, false],
    ['clipboard-read', origin.entryUrl, undefined, false],
    ['openExternal', origin.entryUrl, undefined, false],
    ['display-capture', linkingUrl, ['video'], false]
  ] as const)('%s from %s (%j) -> %s', (permission, url, mediaTypes, allowed) => {
    expect(isPermissionAllowed(origin, permission, url, mediaTypes)).toBe(allowed)
  })

  it('installs request and check handlers on the session', () => {
    installPermissionPolicy(fake.module.session.defaultSession as never, origin)
    const decisions: boolean[] = []
    const request = fake.state.permissionRequestHandler as unknown as (...args: unknown[]) => void
    request({ getURL: () => linkingUrl }, 'media', (allowed: boolean) => decisions.push(allowed), { mediaTypes: ['video'] })
    request({ getURL: () => linkingUrl }, 'geolocation', (allowed: boolean) => decisions.push(allowed), {})
    expect(decisions).toEqual([true, false])
    const check = fake.state.permissionCheckHandler as unknown as (...args: unknown[]) => boolean
    expect(check({ getURL: () => `${origin.entryUrl}#/chats` }, 'media', 'file://')).toBe(false)
    expect(check(null, 'media', 'file://')).toBe(false)
    expect(check({ getURL: () => linkingUrl }, 'notifications', 'file://')).toBe(false)
  })
})

describe('Content-Security-Policy', () => {
  const directives = (policy: string) =>
    new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.sort().join(' ')]))

  it('allows no inline, eval or remote script, and media only from self, blob: and data:', () => {
    const policy = directives(CONTENT_SECURITY_POLICY)
    expect(policy.get('default-src')).toBe("'self'")
    expect(policy.get('script-src')).toBe("'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
    expect(policy.get('img-src')).toBe("'self' blob: data:")
    expect(policy.get('media-src')).toBe("'self' blob: data:")
    expect(policy.get('object-src')).toBe("'none'")
  })

  it('is sent as a response header on every response', () => {
    installContentSecurityPolicy(fake.module.session.defaultSession as never)
    let headers: Record<string, string[]> | undefined
    const listener = fake.state.headersListener as unknown as (details: unknown, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void
    listener({ responseHeaders: { 'X-Other': ['1'] } }, (response) => (headers = response.responseHeaders))
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it('matches the <meta> policy in index.html (frame-ancestors only works as a header)', async () => {
    const html = await readFile('src/renderer/index.html', 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const header = directives(CONTENT_SECURITY_POLICY)
    header.delete('frame-ancestors')
    expect(directives(meta ?? '')).toEqual(header)
  })
})
