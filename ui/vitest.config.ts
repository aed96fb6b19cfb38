import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Resolve Svelte's browser build so components can mount in jsdom.
    resolve: {
      conditions: ['browser'],
    },
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.ts'],
      // Unmounts rendered components after each test.
      setupFiles: ['@testing-library/svelte/vitest', './src/vitest.setup.ts'],
      restoreMocks: true,
      // The design tokens' own text, for the tokens test (other
      // stylesheets stay empty under test, as vitest leaves them by default).
      css: { include: [/styles\/tokens\.css/] },
    },
  }),
);
