#!/usr/bin/env node
// `npm run coverage` measures the sources twice over: jest's own V8 coverage of the modules the tests
// load from src/ (unit, store and API tests), and c8's of the compiled program the end-to-end tests
// run in their worker thread, mapped back to src/. This adds the two up into one report of src/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'coverage');
const map = libCoverage.createCoverageMap({});
for (const part of ['unit', 'e2e']) {
  map.merge(JSON.parse(readFileSync(path.join(dir, part, 'coverage-final.json'), 'utf8')));
}
const context = libReport.createContext({ dir: path.join(dir, 'html'), coverageMap: map, defaultSummarizer: 'nested' });
for (const name of ['text-summary', 'html']) reports.create(name).execute(context);
console.log(`The report of every file: ${path.relative(process.cwd(), path.join(dir, 'html', 'index.html'))}`);
