/**
 * One toxic's place in one direction of one link: it reads chunks from `input`, lets the toxic
 * transform, delay or drop them, and writes to `output`. A stub can be interrupted so the chain
 * can be rewired while data keeps its order, and aborted for good when the link is torn down.
 *
 *            run(toxic)                interrupt()             abort() or close()
 *   idle ───────────────> running ────────────────> idle ───────────────────────> done
 *                            │  toxic closes the stream (timeout, limit_data, ...)
 *                            └───────────────────────────────────────────────────> done
 */
import { type Chunk, type ChunkChannel, Deferred, END } from './chunk-channel.ts';
import type { ActiveToxic } from './toxics/toxic.ts';

/** Returned by `receive()` when the stub was interrupted or aborted. */
export const INTERRUPTED: unique symbol = Symbol('interrupted');
/** Returned by `receiveWithin()` when no item arrived in time. */
export const TIMED_OUT: unique symbol = Symbol('timed out');
export type ReceiveResult = Chunk | typeof END | typeof INTERRUPTED;

/** Shared by every stub of a server: the random source and the handler of pipe failures. */
export interface StubContext {
  random: () => number;
  onPipeError: (error: unknown) => void;
}

export class ToxicStub {
  input: ChunkChannel;
  output: ChunkChannel;
  /** Per-link state of a stateful toxic (`limit_data` counts bytes sent); kept across runs. */
  state: unknown;
  readonly #context: StubContext;
  #closed = false;
  #interrupt = new Deferred();
  #interrupting = false;
  #abort = new Deferred();
  #aborted = false;
  #running: Promise<void> = Promise.resolve();

  constructor(input: ChunkChannel, output: ChunkChannel, context: StubContext) {
    this.input = input;
    this.output = output;
    this.#context = context;
  }

  /** Draws from the server's random source (jitter, slice sizes, toxicity). */
  random(): number {
    return this.#context.random();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Starts the toxic, or a pass-through when the toxicity draw spares this link. */
  run(toxic: ActiveToxic): void {
    if (this.#closed || this.#aborted) return;
    // Only a toxicity strictly between 0 and 1 draws, so seeded runs spend draws where they matter.
    const { toxicity } = toxic;
    const affected = toxicity >= 1 || (toxicity > 0 && this.random() < toxicity);
    const pipe = affected ? toxic.definition.pipe(this, toxic.attributes) : passThrough(this);
    this.#running = pipe.catch((error: unknown) => {
      this.#context.onPipeError(error);
      this.close();
    });
  }

  /**
   * Stops the running toxic so it can be replaced or rewired, and waits until it returned.
   * Returns false when the stub is already closed, as Toxiproxy's `InterruptToxic` does.
   */
  async interrupt(): Promise<boolean> {
    if (this.#closed) return false;
    this.#interrupting = true;
    this.#interrupt.resolve();
    await this.#running;
    this.#interrupting = false;
    this.#interrupt = new Deferred();
    return !this.#closed;
  }

  /** Ends every wait for good; used when both sockets of the link are gone. */
  abort(): void {
    this.#aborted = true;
    this.#abort.resolve();
  }

  async receive(): Promise<ReceiveResult> {
    return (await this.#receive(undefined)) as ReceiveResult;
  }

  /** Like `receive()`, but gives up after `ms` milliseconds without consuming anything. */
  async receiveWithin(ms: number): Promise<ReceiveResult | typeof TIMED_OUT> {
    const deadline = new Deferred();
    const timer = setTimeout(() => deadline.resolve(), ms);
    try {
      return await this.#receive(deadline);
    } finally {
      clearTimeout(timer);
    }
  }

  async #receive(deadline: Deferred | undefined): Promise<ReceiveResult | typeof TIMED_OUT> {
    let timedOut = false;
    const timeout = deadline?.promise.then(() => {
      timedOut = true;
    });
    for (;;) {
      if (this.#interrupting || this.#aborted) return INTERRUPTED;
      const item = this.input.poll();
      if (item !== undefined) return item;
      if (timedOut) return TIMED_OUT;

      const waits = [this.input.whenReadable(), this.#interrupt.promise, this.#abort.promise];
      if (timeout !== undefined) waits.push(timeout);
      await Promise.race(waits);
    }
  }

  /** Queues a chunk on the output; false when interrupted while the output was full. */
  async send(chunk: Chunk): Promise<boolean> {
    this.output.push(chunk);
    if (this.output.hasRoom) return true;

    const waits = [this.output.whenWritable(), this.#interrupt.promise, this.#abort.promise];
    await Promise.race(waits);
    return !this.#interrupting && !this.#aborted;
  }

  /** Waits `ms` milliseconds; false when interrupted first. */
  async sleep(ms: number): Promise<boolean> {
    if (this.#interrupting || this.#aborted) return false;
    const elapsed = await this.#sleepUnless(ms, [this.#interrupt.promise, this.#abort.promise]);
    return elapsed && !this.#interrupting && !this.#aborted;
  }

  /** Waits `ms` milliseconds and ignores interrupts, as Toxiproxy's `reset_peer` does. */
  async sleepThroughInterrupts(ms: number): Promise<boolean> {
    return this.#sleepUnless(ms, [this.#abort.promise]);
  }

  /** Ends the output stream; a reset end makes the link close both sockets with RST. */
  close(reset = this.input.isReset): void {
    if (this.#closed) return;
    this.#closed = true;
    this.output.close(reset);
  }

  async #sleepUnless(ms: number, cancels: Promise<void>[]): Promise<boolean> {
    if (ms <= 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<boolean>((resolve) => {
      // An infinite wait has no timer: only an interrupt or abort ends it.
      if (Number.isFinite(ms)) timer = setTimeout(() => resolve(true), ms);
    });
    const cancelled = Promise.race(cancels).then(() => false);
    try {
      return await Promise.race([elapsed, cancelled]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Forwards every chunk unchanged; Toxiproxy's noop toxic, also used for spared links. */
export async function passThrough(stub: ToxicStub): Promise<void> {
  for (;;) {
    const item = await stub.receive();
    if (item === INTERRUPTED) return;
    if (item === END) {
      stub.close();
      return;
    }
    if (!(await stub.send(item))) return;
  }
}
