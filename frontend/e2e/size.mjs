// The initial JavaScript (what index.html loads before any route) must stay
// at most 250 KB gzipped; routes and the rest load on demand.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = new URL('../dist/', import.meta.url).pathname
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
const total = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0)
const kb = (total / 1024).toFixed(1)
console.log(`initial JavaScript: ${files.length} file(s), ${kb} KB gzipped (limit 250 KB)`)
process.exit(total <= 250 * 1024 ? 0 : 1)
