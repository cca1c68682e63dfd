import { readFileSync } from 'node:fs';

import { REFERENCE_POLICY } from '../model/policy.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { extractHeader, renderCatalogue } from './render-catalogue.ts';

/** Path of the generated catalogue. */
export const CATALOGUE_URL = new URL('../../docs/scenarios.md', import.meta.url);

/** Renders the catalogue of the default suite from the scenario files in this checkout. */
export function renderDefaultCatalogue(): string {
  return renderCatalogue({
    scenarios: SCENARIOS,
    headerOf: (name) => extractHeader(readFileSync(new URL(`../../scenarios/${name}.ts`, import.meta.url), 'utf8')),
    policy: REFERENCE_POLICY,
  });
}
