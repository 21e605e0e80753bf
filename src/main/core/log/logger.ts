/** Structured log lines. Callers pass facts (codes, counts, ids), never secrets or message content. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

type Sink = (line: string) => void

export function createJsonLogger(scope: string, sink: Sink = (line) => process.stderr.write(line + '\n')): Logger {
  const write = (level: string, event: string, fields?: Record<string, unknown>): void =>
    sink(JSON.stringify({ time: new Date().toISOString(), level, scope, event, ...fields }))
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields)
  }
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }
