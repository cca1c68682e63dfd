import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { REFERENCE_POLICY } from '../model/policy.ts';
import { defineScenario } from '../model/scenario.ts';
import { CATALOGUE_URL, renderDefaultCatalogue } from './catalogue-source.ts';
import { extractHeader, renderCatalogue } from './render-catalogue.ts';

const SAMPLE = defineScenario({
  name: 'sample',
  tags: ['database'],
  description: 'A sample | with a pipe.',
  setup: { toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 500 } }], targetEnv: { PG_POOL_MAX: '2' } },
  timeline: [
    { atMs: 100, action: 'open', count: 3, tokenClass: 'expired', maxResponseMs: 1_000 },
    { atMs: 0, action: 'open', count: 2, tokenClass: 'valid', holdMs: null },
    { atMs: 200, action: 'signal', signal: 'SIGTERM', whenPending: 2 },
  ],
  expect: { targetExit: { code: 0 }, outcomeCounts: { accept: 2 } },
});

describe('renderCatalogue', () => {
  const text = renderCatalogue({ scenarios: [SAMPLE], headerOf: () => null, policy: REFERENCE_POLICY });

  it('escapes pipes in the summary table', () => {
    expect(text).toContain('| [sample](#sample) | database | A sample \\| with a pipe. |');
  });

  it('sorts steps and resolves statuses', () => {
    const timeline = text.slice(text.indexOf('**Timeline**'));
    expect(timeline).toContain(
      '- 0 ms: open 2 × `valid`, held open until the server closes them: expect accept\n' +
        '- 100 ms: open 3 × `expired`: expect 401 (expired), within 1000 ms\n' +
        '- 200 ms, once 2 attempts are pending: send SIGTERM to the target',
    );
  });

  it('names the default toxic stream', () => {
    expect(text).toContain('- toxic `slow`: latency on downstream (the default), latency=500');
  });

  it('lists exit and exact counts', () => {
    expect(text).toContain('- the target exits with code 0 within its grace period\n- exactly 2 attempts end as `accept`');
  });
});

describe('extractHeader', () => {
  it('joins the block above export default', () => {
    const source = "import x from 'y';\n/** Not this one. */\nconst a = 1;\n/**\n * Guards against A\n * and B.\n *\n * Second.\n */\nexport default a;\n";
    expect(extractHeader(source)).toBe('Guards against A and B.\n\nSecond.');
  });

  it('returns null without a block', () => {
    expect(extractHeader('export default 1;\n')).toBeNull();
  });
});

describe('docs/scenarios.md', () => {
  it('matches the scenario files', () => {
    const onDisk = readFileSync(CATALOGUE_URL, 'utf8');
    // On a mismatch, run `npm run docs:scenarios` and commit docs/scenarios.md.
    expect(onDisk).toBe(renderDefaultCatalogue());
  });

  it('starts each header with its fault', () => {
    const text = renderDefaultCatalogue();
    expect(text).not.toMatch(/^## .*\n\n(?!Guards against)/m);
  });
});
