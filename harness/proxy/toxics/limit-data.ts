import { END } from '../chunk-channel.ts';
import { INTERRUPTED } from '../toxic-stub.ts';
import type { ToxicDefinition } from './toxic.ts';

interface LimitDataState {
  bytesSent: number;
}

/**
 * Passes the first `bytes` bytes of the stream, then closes the link. The count lives on the
 * link, so updating the toxic keeps what was already sent. With `bytes` 0 the link closes when
 * the first data arrives.
 */
export const limitDataToxic: ToxicDefinition<'bytes'> = {
  goStructName: 'LimitDataToxic',
  attributes: [{ name: 'bytes', goType: 'int64' }],

  newState(): LimitDataState {
    return { bytesSent: 0 };
  },

  async pipe(stub, { bytes }) {
    const state = stub.state as LimitDataState;
    for (;;) {
      const item = await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END) {
        stub.close();
        return;
      }

      const allowed = Math.max(bytes - state.bytesSent, 0);
      const data = item.data.subarray(0, allowed);
      let sent = true;
      if (data.length > 0) {
        state.bytesSent += data.length;
        sent = await stub.send({ data, timestampMs: item.timestampMs });
      }
      if (bytes - state.bytesSent <= 0) {
        stub.close();
        return;
      }
      if (!sent) return;
    }
  },
};
