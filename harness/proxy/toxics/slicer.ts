import { END } from '../chunk-channel.ts';
import { INTERRUPTED, type ToxicStub } from '../toxic-stub.ts';
import type { ToxicAttributes, ToxicDefinition } from './toxic.ts';

type SlicerAttribute = 'average_size' | 'size_variation' | 'delay';

/**
 * Splits each chunk into slices of about `average_size` ± `size_variation` bytes and waits
 * `delay` MICROseconds after each slice. Node timers count whole milliseconds, so sub-millisecond
 * delays are added up and slept once they reach 1 ms; the average pace matches.
 */
export const slicerToxic: ToxicDefinition<SlicerAttribute> = {
  goStructName: 'SlicerToxic',
  attributes: [
    { name: 'average_size', goType: 'int' },
    { name: 'size_variation', goType: 'int' },
    { name: 'delay', goType: 'int' },
  ],

  async pipe(stub, attributes) {
    let owedMs = 0;
    for (;;) {
      const item = await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END) {
        stub.close();
        return;
      }

      const offsets = sliceOffsets(stub, attributes, 0, item.data.length);
      for (let index = 1; index < offsets.length; index += 1) {
        const start = offsets[index - 1] as number;
        const end = offsets[index] as number;
        const slice = item.data.subarray(start, end);
        const sent = await stub.send({ data: slice, timestampMs: item.timestampMs });

        owedMs += attributes.delay / 1000;
        const waitMs = owedMs >= 1 ? owedMs : 0;
        owedMs -= waitMs;
        if (!sent || !(await stub.sleep(waitMs))) {
          const rest = item.data.subarray(end);
          if (rest.length > 0) await stub.send({ data: rest, timestampMs: item.timestampMs });
          return;
        }
      }
    }
  },
};

/**
 * Returns slice boundaries for [start, end): halves the range around a random midpoint until
 * each part is within `size_variation` of `average_size`. Midpoints stay strictly inside the
 * range, so odd settings (variation above the average, sizes of 0) still end.
 */
function sliceOffsets(
  stub: ToxicStub,
  attributes: ToxicAttributes<SlicerAttribute>,
  start: number,
  end: number,
): number[] {
  const size = end - start;
  const variation = attributes.size_variation;
  if (size - attributes.average_size <= variation || size <= 1) return [start, end];

  const shift = variation > 0 ? Math.floor(stub.random() * variation * 2) - variation : 0;
  const middle = Math.min(Math.max(start + Math.floor(size / 2) + shift, start + 1), end - 1);
  const left = sliceOffsets(stub, attributes, start, middle);
  const right = sliceOffsets(stub, attributes, middle, end);
  return [left[0] as number, ...left.slice(1), ...right.slice(1)];
}
