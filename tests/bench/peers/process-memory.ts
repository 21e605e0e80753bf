// Resident set size of another process, read from /proc/<pid>/status (Linux).
// The benchmark reports memory per idle connection as an RSS delta, so it
// needs the server's RSS, not its own.
import { readFileSync } from 'node:fs'

export function residentSetBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (match?.[1] === undefined) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(match[1]) * 1024
}

/** CPU time (user + system) consumed by a process, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticksPerSecond = 100 // USER_HZ is 100 on Linux x86-64 and arm64
  return (Number(afterName[11]) + Number(afterName[12])) / ticksPerSecond
}
