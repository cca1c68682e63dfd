import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { TOXIC_REGISTRY } from './toxics/registry.ts';
import { TOXIC_TYPES } from './toxics/toxic.ts';

describe('toxic registry', () => {
  it('has one entry per toxic type', () => {
    expect(Object.keys(TOXIC_REGISTRY).sort()).toEqual([...TOXIC_TYPES].sort());
  });

  it('documents every type and attribute in the README', async () => {
    const readme = await readFile(new URL('./README.md', import.meta.url), 'utf8');

    for (const type of TOXIC_TYPES) {
      expect(readme, type).toContain(`| \`${type}\` |`);
      for (const attribute of TOXIC_REGISTRY[type].attributes) {
        expect(readme, `${type}.${attribute.name}`).toContain(`\`${attribute.name}\` |`);
      }
    }
  });
});
