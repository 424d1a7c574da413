import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer build: src-renderer -> dist-renderer, relative asset paths so the Electron app protocol works too. */
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist-renderer', import.meta.url)),
    emptyOutDir: true,
    // The station has no network: everything, fonts and sounds included, is a file in the build.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
});
