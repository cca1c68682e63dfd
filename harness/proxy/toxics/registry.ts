import { bandwidthToxic } from './bandwidth.ts';
import { latencyToxic } from './latency.ts';
import { limitDataToxic } from './limit-data.ts';
import { resetPeerToxic } from './reset-peer.ts';
import { slicerToxic } from './slicer.ts';
import { slowCloseToxic } from './slow-close.ts';
import { timeoutToxic } from './timeout.ts';
import { TOXIC_TYPES, type ToxicDefinition, type ToxicType } from './toxic.ts';

/** Every toxic type this server provides, keyed by its API type name. */
export const TOXIC_REGISTRY: Readonly<Record<ToxicType, ToxicDefinition>> = Object.freeze({
  latency: latencyToxic,
  bandwidth: bandwidthToxic,
  slow_close: slowCloseToxic,
  timeout: timeoutToxic,
  reset_peer: resetPeerToxic,
  slicer: slicerToxic,
  limit_data: limitDataToxic,
});

/** Narrows an API `type` string; the match is exact, as in Toxiproxy. */
export function isToxicType(type: string): type is ToxicType {
  return (TOXIC_TYPES as readonly string[]).includes(type);
}
