import { INTERRUPTED } from '../toxic-stub.ts';
import type { ToxicDefinition } from './toxic.ts';

/**
 * Waits for the first data (or end) on the stream, drops it, waits `timeout` ms and then resets
 * the link: both sockets close with TCP RST, so peers see ECONNRESET. Like Toxiproxy, the wait
 * ignores interrupts, so removing the toxic during the countdown waits for the reset.
 */
export const resetPeerToxic: ToxicDefinition<'timeout'> = {
  goStructName: 'ResetToxic',
  attributes: [{ name: 'timeout', goType: 'int64' }],

  async pipe(stub, { timeout }) {
    const item = await stub.receive();
    if (item === INTERRUPTED) return;

    await stub.sleepThroughInterrupts(timeout);
    stub.close(true);
  },
};
