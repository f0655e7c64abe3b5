import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// onnxruntime-web's WASM threads need SharedArrayBuffer, i.e. a cross-origin-isolated page.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    // parity.html: the runtime parity harness used by e2e/parity.spec.ts
    rollupOptions: { input: { main: 'index.html', parity: 'parity.html' } },
  },
});
