#!/usr/bin/env node
// The CLI is bundled (scripts/bundle.mjs; see load-cli.js); with --debug a stack trace names the source files.
import { loadCli } from './load-cli.js';

if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await loadCli(process.argv);

process.exitCode = await main(process.argv);
