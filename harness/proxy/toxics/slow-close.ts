import { END } from '../chunk-channel.ts';
import { INTERRUPTED } from '../toxic-stub.ts';
import type { ToxicDefinition } from './toxic.ts';

/** Passes data unchanged but delays the close of the stream by `delay` ms. */
export const slowCloseToxic: ToxicDefinition<'delay'> = {
  goStructName: 'SlowCloseToxic',
  attributes: [{ name: 'delay', goType: 'int64' }],

  async pipe(stub, { delay }) {
    for (;;) {
      const item = await stub.receive();
      if (item === INTERRUPTED) return;
      if (item === END) {
        // An interrupt restarts the delay, because the next run receives the end again.
        if (await stub.sleep(delay)) stub.close();
        return;
      }
      if (!(await stub.send(item))) return;
    }
  },
};
