/**
 * A single-consumer queue of byte chunks between two toxic stubs, modelled on the Go channels
 * that connect Toxiproxy's stubs. Pushing never blocks and drops a chunk only after close.
 * A producer that checks `hasRoom` and waits on `whenWritable()` gets backpressure. Closing
 * enqueues an end marker that stays at the head once reached, like a closed Go channel that
 * keeps returning `nil`.
 */

/** Bytes read from one socket, stamped with the time they were read (ms, `performance.now`). */
export interface Chunk {
  data: Buffer;
  timestampMs: number;
}

/** The end of a stream: the source closed or a toxic closed the link. */
export const END: unique symbol = Symbol('end');
export type ChannelItem = Chunk | typeof END;

/** A promise with its resolve function exposed. */
export class Deferred {
  readonly promise: Promise<void>;
  resolve!: () => void;

  constructor() {
    this.promise = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }
}

export class ChunkChannel {
  readonly capacityBytes: number;
  #chunks: Chunk[] = [];
  #bytes = 0;
  #closed = false;
  #reset = false;
  #readable: Deferred | undefined;
  #writable: Deferred | undefined;

  /** `capacityBytes` is a soft limit: `hasRoom` turns false once it is reached. */
  constructor(capacityBytes: number) {
    this.capacityBytes = capacityBytes;
  }

  get hasRoom(): boolean {
    return this.#bytes < this.capacityBytes;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** True when the stream ended through a `reset_peer` toxic, so the link ends with RST. */
  get isReset(): boolean {
    return this.#reset;
  }

  push(chunk: Chunk): void {
    if (this.#closed) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.data.length;
    this.#wakeReader();
  }

  close(reset = false): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reset = reset;
    this.#wakeReader();
  }

  /** Takes the next item, or returns `undefined` when nothing is queued yet. */
  poll(): ChannelItem | undefined {
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return this.#closed ? END : undefined;

    this.#bytes -= chunk.data.length;
    if (this.hasRoom && this.#writable !== undefined) {
      this.#writable.resolve();
      this.#writable = undefined;
    }
    return chunk;
  }

  /** Resolves once `poll()` would return an item. */
  whenReadable(): Promise<void> {
    if (this.#chunks.length > 0 || this.#closed) return Promise.resolve();
    this.#readable ??= new Deferred();
    return this.#readable.promise;
  }

  /** Resolves once the queue is below its capacity. */
  whenWritable(): Promise<void> {
    if (this.hasRoom) return Promise.resolve();
    this.#writable ??= new Deferred();
    return this.#writable.promise;
  }

  #wakeReader(): void {
    if (this.#readable === undefined) return;
    this.#readable.resolve();
    this.#readable = undefined;
  }
}
