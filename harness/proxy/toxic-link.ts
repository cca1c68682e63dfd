/**
 * One direction of a proxied connection: a chain of stubs, one per toxic, between the socket
 * that is read and the socket that is written. The chain always starts with the hidden noop
 * toxic, and toxics are added at the end, mirroring the proxy's toxic list.
 *
 *   input > [noop stub] > [toxic 1 stub] > ... > [toxic n stub] > output
 */
import { ChunkChannel, END } from './chunk-channel.ts';
import { type StubContext, ToxicStub } from './toxic-stub.ts';
import type { ActiveToxic, StreamDirection } from './toxics/toxic.ts';

/** Queue capacity where a toxic does not ask for more. */
export const DEFAULT_CHANNEL_BYTES = 256 * 1024;

export class ToxicLink {
  readonly direction: StreamDirection;
  readonly input: ChunkChannel;
  readonly output: ChunkChannel;
  readonly #stubs: ToxicStub[] = [];
  readonly #chain: () => readonly ActiveToxic[];
  readonly #context: StubContext;

  /** `chain` returns the proxy's current toxics for this direction, the noop first. */
  constructor(
    direction: StreamDirection,
    chain: () => readonly ActiveToxic[],
    context: StubContext,
  ) {
    this.direction = direction;
    this.#chain = chain;
    this.#context = context;

    const toxics = chain();
    this.input = new ChunkChannel(DEFAULT_CHANNEL_BYTES);
    let previous = this.input;
    toxics.forEach((_, index) => {
      const following = toxics[index + 1];
      const next = new ChunkChannel(following ? capacityFor(following) : DEFAULT_CHANNEL_BYTES);
      this.#stubs.push(new ToxicStub(previous, next, context));
      previous = next;
    });
    this.output = previous;
  }

  start(): void {
    const toxics = this.#chain();
    this.#stubs.forEach((stub, index) => {
      const toxic = toxics[index] as ActiveToxic;
      stub.state = toxic.definition.newState?.();
      stub.run(toxic);
    });
  }

  /** Appends a stub for a toxic that was just added to the end of the chain. */
  async addToxic(toxic: ActiveToxic): Promise<void> {
    const index = this.#stubs.length;
    const previous = this.#stubs[index - 1] as ToxicStub;
    const input = new ChunkChannel(capacityFor(toxic));
    const stub = new ToxicStub(input, previous.output, this.#context);
    this.#stubs.push(stub);

    if (!(await previous.interrupt())) {
      // The stream already ended; keep the stub so indexes stay aligned with the chain.
      stub.output = input;
      stub.close();
      return;
    }
    previous.output = input;
    stub.state = toxic.definition.newState?.();
    stub.run(toxic);
    previous.run(this.#chain()[index - 1] as ActiveToxic);
  }

  /** Restarts the stub at `index` with the toxic's new attributes and toxicity. */
  async updateToxic(toxic: ActiveToxic, index: number): Promise<void> {
    const stub = this.#stubs[index] as ToxicStub;
    if (await stub.interrupt()) stub.run(toxic);
  }

  /**
   * Takes the stub at `index` out of the chain. Chunks queued in front of it move to its output
   * first, so the stream keeps its order. `index` is the toxic's position before removal.
   */
  async removeToxic(toxic: ActiveToxic, index: number): Promise<void> {
    const stub = this.#stubs[index] as ToxicStub;
    const previous = this.#stubs[index - 1] as ToxicStub;
    this.#stubs.splice(index, 1);
    if (!(await stub.interrupt())) return;

    toxic.definition.cleanup?.(stub);
    if (stub.isClosed) return;

    const previousRunning = await previous.interrupt();
    for (let item = stub.input.poll(); item !== undefined; item = stub.input.poll()) {
      if (item === END) {
        stub.close();
        return;
      }
      stub.output.push(item);
    }
    previous.output = stub.output;
    if (previousRunning) previous.run(this.#chain()[index - 1] as ActiveToxic);
  }

  /** Stops every stub for good and ends the output, once both sockets are closed. */
  abort(): void {
    for (const stub of this.#stubs) stub.abort();
    this.output.close();
  }
}

function capacityFor(toxic: ActiveToxic): number {
  return toxic.definition.bufferBytes ?? DEFAULT_CHANNEL_BYTES;
}
