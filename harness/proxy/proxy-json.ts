/** Parsing of proxy bodies for create, update and populate, with Go's decoding rules. */
import { apiErrors } from './errors.ts';
import { decodeOrReject, GoStructReader, GoUnmarshalTypeError, readObject } from './go-json.ts';
import type { ProxyUpdate } from './proxy.ts';
import type { ProxyDefinition } from './proxy-collection.ts';

const POPULATE_ITEM_TYPE = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

/** Parses `POST /proxies`; `enabled` defaults to true and `name`, `upstream` are required. */
export function decodeProxyCreate(body: unknown): ProxyDefinition {
  const definition = decodeOrReject(() => {
    const reader = new GoStructReader(readObject(body, 'toxiproxy.Proxy') ?? {}, 'Proxy');
    return readDefinition(reader);
  });
  if (definition.name === '') throw apiErrors.missingField('name');
  if (definition.upstream === '') throw apiErrors.missingField('upstream');
  return definition;
}

/** Parses `POST /proxies/{proxy}`; fields left out keep the proxy's current values. */
export function decodeProxyUpdate(body: unknown, current: ProxyUpdate): ProxyUpdate {
  return decodeOrReject(() => {
    const reader = new GoStructReader(readObject(body, 'toxiproxy.Proxy') ?? {}, 'Proxy');
    return {
      listen: reader.string('listen') ?? current.listen,
      upstream: reader.string('upstream') ?? current.upstream,
      enabled: reader.bool('enabled') ?? current.enabled,
    };
  });
}

/** Parses and checks a whole `/populate` array before any proxy is touched. */
export function decodePopulate(body: unknown): ProxyDefinition[] {
  const definitions = decodeOrReject(() => {
    if (body === null) return [];
    if (!Array.isArray(body)) {
      throw new GoUnmarshalTypeError(body, 'Go value', `[]${POPULATE_ITEM_TYPE}`);
    }
    return body.map((item: unknown) => {
      const reader = new GoStructReader(readObject(item, POPULATE_ITEM_TYPE) ?? {}, '');
      return readDefinition(reader);
    });
  });

  definitions.forEach((definition, index) => {
    if (definition.name === '') throw apiErrors.missingField(`name at proxy ${index + 1}`);
    if (definition.upstream === '') throw apiErrors.missingField(`upstream at proxy ${index + 1}`);
  });
  return definitions;
}

function readDefinition(reader: GoStructReader): ProxyDefinition {
  return {
    name: reader.string('name') ?? '',
    listen: reader.string('listen') ?? '',
    upstream: reader.string('upstream') ?? '',
    enabled: reader.bool('enabled') ?? true,
  };
}
