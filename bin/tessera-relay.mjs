#!/usr/bin/env node
// tessera-relay: runs the relay from its TypeScript sources through tsx's ESM
// loader (tsx is a runtime dependency), so a clean `npm ci` is all it needs.
// See docs/relay.md and docs/decisions/0042-relay-runs-from-source-with-tsx.md.
import { register } from 'tsx/esm/api'

register()
await import(new URL('../src/relay/main.ts', import.meta.url).href)
