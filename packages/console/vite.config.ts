import { Settings } from '@headlesskey/contracts';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A relative base: the gateway serves the console under any path (HEADLESSKEY_CONSOLE_PATH) and
// names the assets' place in the index it serves. No module-preload polyfill: every browser the
// console targets has modulepreload, and the CSP allows no inline script.
export default defineConfig({
  base: './',
  plugins: [react()],
  // The settings' schemas (defaults, ranges, choices) from the contract, their one owner, as JSON:
  // the browser gets the data without TypeBox.
  define: { __SETTINGS_SCHEMA__: JSON.stringify(Settings.properties) },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
