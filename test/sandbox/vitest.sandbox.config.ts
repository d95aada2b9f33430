import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * For running only the sandbox tests while other layers are still being built: the same settings
 * without the global setup (which bundles the whole program). `npx vitest run test/sandbox` remains
 * the command once the bundle builds.
 */
const merged = mergeConfig(base, defineConfig({ test: {} }));
merged.test = { ...merged.test, globalSetup: [], reporters: ['default'] };
merged.root = new URL('../..', import.meta.url).pathname;
export default merged;
