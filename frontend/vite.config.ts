import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// The API runs on :8080 during development (`make run`); the dev server
// forwards /api to it.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: { target: 'es2022', sourcemap: true },
  test: { environment: 'jsdom', setupFiles: ['src/test-setup.ts'], include: ['src/**/*.test.{ts,tsx}'] },
})
