#!/usr/bin/env -S node --max-semi-space-size=4
// tessera-relay: runs the relay from its TypeScript sources through tsx's ESM
// loader (tsx is a runtime dependency), so a clean `npm ci` is all it needs.
// See docs/relay.md and docs/decisions/0042-relay-runs-from-source-with-tsx.md.
// --max-semi-space-size=4 (MB): caps V8's young generation, which otherwise
// grows during connection storms and stays resident: ~10 KB -> ~6 KB RSS per
// idle connection here; 2 MB saved another ~0.7 KB but cost ~0.8 us of GC
// per envelope (decisions/0046, 0048).
import { register } from 'tsx/esm/api'

register()
await import(new URL('../src/relay/main.ts', import.meta.url).href)
