import { END } from '../chunk-channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../toxic-stub.ts';
import type { ToxicDefinition } from './toxic.ts';

/**
 * Drops all data and closes the link once `timeout` ms pass without data on the stream. Every
 * chunk that arrives restarts the wait, as in Toxiproxy. With `timeout` 0 data is dropped until
 * the toxic is removed. Removing it closes the link, because the dropped bytes left the two ends
 * out of step.
 */
export const timeoutToxic: ToxicDefinition<'timeout'> = {
  goStructName: 'TimeoutToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],

  async pipe(stub, { timeout }) {
    for (;;) {
      const item = timeout > 0 ? await stub.receiveWithin(timeout) : await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END || item === TIMED_OUT) {
        stub.close();
        return;
      }
    }
  },

  cleanup(stub) {
    stub.close();
  },
};
