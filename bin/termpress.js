#!/usr/bin/env node
// The CLI is bundled (scripts/bundle.mjs); with --debug a stack trace names the source files.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(process.argv);
