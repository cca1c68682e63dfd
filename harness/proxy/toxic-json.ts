/**
 * The toxic wire format: parsing create and update bodies in the order Toxiproxy checks them,
 * and printing a toxic as `{attributes, name, type, stream, toxicity}`.
 */
import { apiErrors } from './errors.ts';
import {
  decodeOrReject,
  GoStructReader,
  GoUnmarshalTypeError,
  readObject,
  toGoFloat32,
} from './go-json.ts';
import { isToxicType, TOXIC_REGISTRY } from './toxics/registry.ts';
import type {
  ActiveToxic,
  StreamDirection,
  ToxicAttributes,
  ToxicDefinition,
} from './toxics/toxic.ts';

/** A toxic as the API prints it. */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

/**
 * Builds a toxic from a create body. Checks run in Toxiproxy's order: JSON, stream, default
 * name, type, duplicate name, then attributes, so the same bad body gets the same error.
 */
export function decodeNewToxic(body: unknown, isNameTaken: (name: string) => boolean): ActiveToxic {
  const fields = decodeOrReject(() => {
    const object = readObject(body, 'toxics.ToxicWrapper') ?? {};
    const reader = new GoStructReader(object, 'ToxicWrapper');
    const attributes = reader.raw('attributes');
    if (attributes !== null && attributes !== undefined && typeof attributes !== 'object') {
      const target = 'Go struct field ToxicWrapper.attributes';
      throw new GoUnmarshalTypeError(attributes, target, 'toxics.NoopToxic');
    }
    return {
      name: reader.string('name') ?? '',
      type: reader.string('type') ?? '',
      stream: reader.string('stream') ?? 'downstream',
      toxicity: reader.float32('toxicity') ?? 1,
      attributes,
    };
  });

  const direction = parseDirection(fields.stream);
  const name = fields.name === '' ? `${fields.type}_${fields.stream}` : fields.name;
  if (!isToxicType(fields.type)) throw apiErrors.invalidToxicType();
  if (isNameTaken(name)) throw apiErrors.toxicAlreadyExists();

  const definition = TOXIC_REGISTRY[fields.type];
  const attributes = decodeAttributes(definition, fields.attributes, zeroAttributes(definition));
  return {
    name,
    type: fields.type,
    stream: fields.stream,
    direction,
    toxicity: toGoFloat32(fields.toxicity),
    attributes,
    definition,
  };
}

/** Parses an update body: only `attributes` (merged over the current ones) and `toxicity`. */
export function decodeToxicUpdate(
  body: unknown,
  toxic: ActiveToxic,
): { attributes: ToxicAttributes; toxicity: number } {
  return decodeOrReject(() => {
    const object = readObject(body, 'struct { Attributes interface {}; Toxicity float32 }') ?? {};
    const reader = new GoStructReader(object, '');
    const toxicity = reader.float32('toxicity') ?? toxic.toxicity;
    const raw = reader.raw('attributes');
    const attributes = decodeAttributes(toxic.definition, raw, toxic.attributes);
    return { attributes, toxicity: toGoFloat32(toxicity) };
  });
}

export function toxicToJson(toxic: ActiveToxic): ToxicJson {
  const attributes: Record<string, number> = {};
  for (const spec of toxic.definition.attributes) {
    attributes[spec.name] = toxic.attributes[spec.name] ?? 0;
  }
  return {
    attributes,
    name: toxic.name,
    type: toxic.type,
    stream: toxic.stream,
    toxicity: toxic.toxicity,
  };
}

function parseDirection(stream: string): StreamDirection {
  const lowered = stream.toLowerCase();
  if (lowered === 'upstream' || lowered === 'downstream') return lowered;
  throw apiErrors.invalidStream();
}

function zeroAttributes(definition: ToxicDefinition): ToxicAttributes {
  return Object.fromEntries(definition.attributes.map((spec) => [spec.name, 0]));
}

function decodeAttributes(
  definition: ToxicDefinition,
  raw: unknown,
  base: ToxicAttributes,
): ToxicAttributes {
  return decodeOrReject(() => {
    const object = readObject(raw, `toxics.${definition.goStructName}`);
    if (object === undefined) return base;

    const reader = new GoStructReader(object, definition.goStructName, 'attributes');
    const decoded: Record<string, number> = { ...base };
    for (const spec of definition.attributes) {
      const value = reader.integer(spec.name, spec.goType);
      if (value !== undefined) decoded[spec.name] = value;
    }
    return decoded;
  });
}
