/**
 * Structured JSON logs, one object per line on stdout. Callers pass only
 * counts, codes and ids that are not secrets: never envelope bytes, delivery
 * tokens, signatures or keys (docs/relay.md, "Logs").
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | undefined>

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const threshold = RANK[level]
  const log = (at: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[at] < threshold) return
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }))
  }
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields)
  }
}
