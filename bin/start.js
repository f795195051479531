#!/usr/bin/env node
// Builds the Hub if hub/dist is missing or older than its sources, then runs the server from its
// TypeScript sources (tsx compiles on the fly; no build step to forget).
import { register } from 'tsx/esm/api';
import { ensureHubBuilt } from '../hub/build.mjs';

try {
  ensureHubBuilt();
} catch (err) {
  console.error(`setora: the Hub could not be built (${err instanceof Error ? err.message : String(err)}); starting the API anyway.`);
}
register();
await import('../src/main.ts');
