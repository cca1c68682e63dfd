import { END } from '../chunk-channel.ts';
import { INTERRUPTED, type ToxicStub } from '../toxic-stub.ts';
import type { ToxicDefinition } from './toxic.ts';

/** Chunks larger than 100 ms worth of data go out in 100 ms slices. */
const SLICE_INTERVAL_MS = 100;

/**
 * Limits the stream to `rate` KB/s (1 KB = 1000 bytes, so `rate` is also bytes per ms). The
 * delay owed is carried from chunk to chunk, minus the time actually slept, so timer slack does
 * not add up. A `rate` of 0 or less keeps all data back until the toxic is changed or removed,
 * which is what Toxiproxy's loop ends up doing.
 */
export const bandwidthToxic: ToxicDefinition<'rate'> = {
  goStructName: 'BandwidthToxic',
  attributes: [{ name: 'rate', goType: 'int64' }],

  async pipe(stub, { rate }) {
    let owedMs = 0;
    for (;;) {
      const item = await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END) {
        stub.close();
        return;
      }
      if (rate <= 0) {
        await stub.sleep(Number.POSITIVE_INFINITY);
        await stub.send(item);
        return;
      }

      owedMs += item.data.length / rate;
      const rest = await sendSlices(stub, item.data, rate, item.timestampMs);
      if (rest === undefined) return;
      // The sliced bytes were paid for by the 100 ms waits between slices.
      owedMs -= (item.data.length - rest.length) / rate;

      const startMs = performance.now();
      const elapsed = await stub.sleep(owedMs);
      owedMs -= performance.now() - startMs;
      const chunk = { data: rest, timestampMs: item.timestampMs };
      if (!elapsed) {
        await stub.send(chunk);
        return;
      }
      if (!(await stub.send(chunk))) return;
    }
  },
};

/**
 * Sends full 100 ms slices, one per 100 ms, and returns the bytes left over. Returns
 * `undefined` when interrupted, after forwarding the unsent bytes so that nothing is lost.
 */
async function sendSlices(
  stub: ToxicStub,
  data: Buffer,
  rate: number,
  timestampMs: number,
): Promise<Buffer | undefined> {
  const sliceBytes = rate * 100;
  let rest = data;
  while (rest.length > sliceBytes) {
    if (!(await stub.sleep(SLICE_INTERVAL_MS))) {
      await stub.send({ data: rest, timestampMs });
      return undefined;
    }
    const sent = await stub.send({ data: rest.subarray(0, sliceBytes), timestampMs });
    rest = rest.subarray(sliceBytes);
    if (!sent) {
      await stub.send({ data: rest, timestampMs });
      return undefined;
    }
  }
  return rest;
}
