/**
 * Where the renderer is loaded from: the built files (file://.../out/renderer)
 * in a packaged or previewed app, or electron-vite's dev server while
 * developing. Everything that checks "is this our own page?" asks here.
 */
export interface AppOrigin {
  /** The URL the main window loads. */
  readonly entryUrl: string
  /** True when `url` is a page of the app itself (same file tree or same dev-server origin). */
  isAppUrl(url: string): boolean
}

export function createAppOrigin(rendererDir: string, devServerUrl: string | undefined): AppOrigin {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin
    return { entryUrl: devServerUrl, isAppUrl: (url) => safeOrigin(url) === origin }
  }
  const base = new URL(`file://${rendererDir.replaceAll('\\', '/').replace(/^([A-Za-z]:)/, '/$1')}/`)
  const entryUrl = new URL('index.html', base).href
  return {
    entryUrl,
    isAppUrl: (url) => {
      try {
        const parsed = new URL(url)
        return parsed.protocol === 'file:' && parsed.pathname === new URL(entryUrl).pathname
      } catch {
        return false
      }
    }
  }
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}
