#!/usr/bin/env node
// Builds the Hub and the booking page if hub/dist or book/dist is missing or older than its sources, then runs the server from its
// TypeScript sources (tsx compiles on the fly; no build step to forget).
import { register } from 'tsx/esm/api';
import { ensureBookBuilt, ensureHubBuilt } from '../hub/build.mjs';

for (const [name, build] of [['the Hub', ensureHubBuilt], ['the booking page', ensureBookBuilt]]) {
  try {
    build();
  } catch (err) {
    console.error(`setora: ${name} could not be built (${err instanceof Error ? err.message : String(err)}); starting the API anyway.`);
  }
}
register();
await import('../src/main.ts');
