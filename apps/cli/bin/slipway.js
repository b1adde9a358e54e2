#!/usr/bin/env node
// Runs the CLI from its TypeScript source through SWC, so `npx slipway` works right after `npm ci` and never runs stale output.
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
