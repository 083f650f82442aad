import { EVENT_TYPES, ROLES, ROUTE_ACCESS, Settings } from '@headlesskey/contracts';
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
  define: {
    __SETTINGS_SCHEMA__: JSON.stringify(Settings.properties),
    // Every route's default access and the built-in roles, for the Access screen.
    __ROUTE_ACCESS__: JSON.stringify(ROUTE_ACCESS),
    __ROLES__: JSON.stringify(ROLES),
    // The event catalog's types, for the Logs screen's filter.
    __EVENT_TYPES__: JSON.stringify(Object.keys(EVENT_TYPES)),
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
