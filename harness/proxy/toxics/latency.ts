import { END } from '../chunk-channel.ts';
import { INTERRUPTED, type ToxicStub } from '../toxic-stub.ts';
import type { ToxicAttributes, ToxicDefinition } from './toxic.ts';

type LatencyAttribute = 'latency' | 'jitter';

/** Toxiproxy sizes the latency queue at 1024 chunks of up to 32 KiB. */
const LATENCY_BUFFER_BYTES = 1024 * 32 * 1024;

/**
 * Delays each chunk by `latency` ± `jitter` ms, measured from when the chunk was read, so a
 * steady stream is shifted in time rather than slowed down.
 */
export const latencyToxic: ToxicDefinition<LatencyAttribute> = {
  goStructName: 'LatencyToxic',
  attributes: [
    { name: 'latency', goType: 'int64' },
    { name: 'jitter', goType: 'int64' },
  ],
  bufferBytes: LATENCY_BUFFER_BYTES,

  async pipe(stub, attributes) {
    for (;;) {
      const item = await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END) {
        stub.close();
        return;
      }

      const delayMs = drawDelayMs(stub, attributes) - (performance.now() - item.timestampMs);
      const elapsed = await stub.sleep(delayMs);
      item.timestampMs += delayMs;
      // An interrupted toxic still forwards the chunk it holds, without the rest of the delay.
      if (!elapsed) {
        await stub.send(item);
        return;
      }
      if (!(await stub.send(item))) return;
    }
  },
};

/** `latency` plus a uniform integer in [-jitter, jitter), as Toxiproxy draws it. */
function drawDelayMs(stub: ToxicStub, attributes: ToxicAttributes<LatencyAttribute>): number {
  const { latency, jitter } = attributes;
  if (jitter <= 0) return latency;
  return latency + Math.floor(stub.random() * jitter * 2) - jitter;
}
