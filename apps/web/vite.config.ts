import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

/** The API's content security policy, repeated on `vite preview` so the built app is tried under it. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

export default defineConfig(({ mode }) => {
  // DTP_API_URL points the dev/preview proxy at another API (default: the dev API on port 3100).
  const env = loadEnv(mode, '.', 'DTP_');
  const proxy = { '/api': { target: env.DTP_API_URL ?? 'http://localhost:3100', changeOrigin: false } };
  return {
    plugins: [react()],
    server: { port: 5173, proxy },
    preview: { port: 4173, proxy, headers: { 'content-security-policy': CSP } },
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  };
});
