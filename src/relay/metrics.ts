/**
 * Counters and gauges rendered in the Prometheus text exposition format
 * (version 0.0.4). Labels are fixed small sets (error names, limit scopes),
 * never mailbox ids or addresses.
 */
export class Metrics {
  private readonly counters = new Map<string, number>()
  private readonly gauges = new Map<string, () => number>()
  private readonly help = new Map<string, string>()

  constructor(private readonly prefix = 'tessera_relay_') {}

  describe(name: string, help: string): void {
    this.help.set(name, help)
  }

  inc(name: string, labels?: Record<string, string>, by = 1): void {
    const key = labels ? `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}` : name
    this.counters.set(key, (this.counters.get(key) ?? 0) + by)
  }

  gauge(name: string, help: string, read: () => number): void {
    this.help.set(name, help)
    this.gauges.set(name, read)
  }

  counter(key: string): number {
    return this.counters.get(key) ?? 0
  }

  render(): string {
    const lines: string[] = []
    const byName = new Map<string, [string, number][]>()
    for (const [key, value] of this.counters) {
      const name = key.includes('{') ? key.slice(0, key.indexOf('{')) : key
      const list = byName.get(name) ?? []
      list.push([key, value])
      byName.set(name, list)
    }
    for (const [name, series] of byName) {
      lines.push(`# HELP ${this.prefix}${name} ${this.help.get(name) ?? name}`, `# TYPE ${this.prefix}${name} counter`)
      for (const [key, value] of series) lines.push(`${this.prefix}${key} ${value}`)
    }
    for (const [name, read] of this.gauges) {
      lines.push(`# HELP ${this.prefix}${name} ${this.help.get(name) ?? name}`, `# TYPE ${this.prefix}${name} gauge`, `${this.prefix}${name} ${read()}`)
    }
    return lines.join('\n') + '\n'
  }
}
