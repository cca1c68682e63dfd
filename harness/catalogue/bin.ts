// Writes docs/scenarios.md from the scenario files: `npm run docs:scenarios`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { CATALOGUE_URL, renderDefaultCatalogue } from './catalogue-source.ts';

writeFileSync(CATALOGUE_URL, renderDefaultCatalogue());
process.stdout.write(`wrote ${fileURLToPath(CATALOGUE_URL)}\n`);
