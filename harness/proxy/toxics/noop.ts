import { passThrough } from '../toxic-stub.ts';
import type { ActiveToxic, ToxicDefinition } from './toxic.ts';

const noopDefinition: ToxicDefinition<never> = {
  goStructName: 'NoopToxic',
  attributes: [],
  pipe: (stub) => passThrough(stub),
};

/**
 * The hidden first toxic of every chain. It gives a newly added toxic something to interrupt,
 * so data keeps its order while the chain is rewired; the API never lists it.
 */
export const NOOP_TOXIC: ActiveToxic = Object.freeze({
  name: '',
  type: 'noop',
  stream: '',
  direction: 'downstream',
  toxicity: 1,
  attributes: Object.freeze({}),
  definition: noopDefinition,
});
