#!/usr/bin/env node
// Runs the server from its TypeScript sources (tsx compiles on the fly; no build step to forget).
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
