/**
 * The contract every toxic type implements. A toxic only defines its attributes and a `pipe`
 * function; the stub carries the per-link state, so one configured toxic serves every link.
 */
import type { ToxicStub } from '../toxic-stub.ts';

/** Toxic types that real Toxiproxy 2.x and this server both provide. */
export const TOXIC_TYPES = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

/** `upstream` is client -> server, `downstream` is server -> client. */
export type StreamDirection = 'upstream' | 'downstream';

/** One integer attribute, named and typed as in Toxiproxy's Go struct (Go's zero default). */
export interface AttributeSpec<Name extends string = string> {
  name: Name;
  goType: 'int' | 'int64';
}

export type ToxicAttributes<Name extends string = string> = Readonly<Record<Name, number>>;

export interface ToxicDefinition<Name extends string = string> {
  /** Name of Toxiproxy's Go struct for this toxic; Go's decode errors quote it. */
  goStructName: string;
  /** Attributes in the order Toxiproxy's JSON lists them. */
  attributes: readonly AttributeSpec<Name>[];
  /** Queue capacity in front of this toxic; Toxiproxy buffers 1024 chunks for `latency`. */
  bufferBytes?: number;
  /** Creates per-link state when the toxic joins a link; it lasts until the toxic is removed. */
  newState?(): unknown;
  /** Moves data from `stub.input` to `stub.output` until interrupted or the stream closes. */
  pipe(stub: ToxicStub, attributes: ToxicAttributes<Name>): Promise<void>;
  /** Runs when the toxic is removed from a live link; may close the stream. */
  cleanup?(stub: ToxicStub): void;
}

/** A toxic as configured on a proxy, with its definition resolved. */
export interface ActiveToxic {
  name: string;
  /** `noop` only for the hidden first toxic of each chain. */
  type: ToxicType | 'noop';
  /** The stream text as the client sent it; Toxiproxy echoes it back unchanged. */
  stream: string;
  direction: StreamDirection;
  /** Probability that a link is affected, drawn per link when the toxic starts on it. */
  toxicity: number;
  attributes: ToxicAttributes;
  definition: ToxicDefinition;
}
