/**
 * The toxics of one proxy: an ordered chain per direction, each starting with the hidden noop
 * toxic, and the open links they apply to. Every change is applied to the chain first and then
 * to each open link of that direction, so existing connections see it, as in Toxiproxy.
 */
import type { Logger } from 'pino';

import { apiErrors } from './errors.ts';
import type { ProxyLink } from './proxy-link.ts';
import type { ToxicLink } from './toxic-link.ts';
import { decodeNewToxic, decodeToxicUpdate, type ToxicJson, toxicToJson } from './toxic-json.ts';
import { NOOP_TOXIC } from './toxics/noop.ts';
import type { ActiveToxic, StreamDirection } from './toxics/toxic.ts';

const DIRECTIONS: readonly StreamDirection[] = ['upstream', 'downstream'];

export class ToxicCollection {
  readonly #chains: Record<StreamDirection, ActiveToxic[]> = {
    upstream: [NOOP_TOXIC],
    downstream: [NOOP_TOXIC],
  };
  readonly #links = new Set<ProxyLink>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Returns the chain that links run for `direction`, the noop first. */
  chain(direction: StreamDirection): readonly ActiveToxic[] {
    return this.#chains[direction];
  }

  /** Returns every visible toxic: upstream ones first, each direction in the order added. */
  list(): ActiveToxic[] {
    return DIRECTIONS.flatMap((direction) => this.#chains[direction].slice(1));
  }

  find(name: string): ActiveToxic | undefined {
    return this.list().find((toxic) => toxic.name === name);
  }

  get(name: string): ActiveToxic {
    const toxic = this.find(name);
    if (toxic === undefined) throw apiErrors.toxicNotFound();
    return toxic;
  }

  addLink(link: ProxyLink): void {
    this.#links.add(link);
  }

  removeLink(link: ProxyLink): void {
    this.#links.delete(link);
  }

  async add(body: unknown): Promise<ActiveToxic> {
    const toxic = decodeNewToxic(body, (name) => this.find(name) !== undefined);
    this.#chains[toxic.direction].push(toxic);
    await this.#eachLink(toxic.direction, (link) => link.addToxic(toxic));
    this.#logger.debug({ toxic: toxic.name, type: toxic.type }, 'toxic added');
    return toxic;
  }

  async update(name: string, body: unknown): Promise<ActiveToxic> {
    const toxic = this.get(name);
    const changes = decodeToxicUpdate(body, toxic);
    toxic.attributes = changes.attributes;
    toxic.toxicity = changes.toxicity;

    const index = this.#chains[toxic.direction].indexOf(toxic);
    await this.#eachLink(toxic.direction, (link) => link.updateToxic(toxic, index));
    this.#logger.debug({ toxic: toxic.name }, 'toxic updated');
    return toxic;
  }

  async remove(name: string): Promise<void> {
    await this.#remove(this.get(name));
    this.#logger.debug({ toxic: name }, 'toxic removed');
  }

  /** Removes every toxic, each direction in the order the toxics were added. */
  async reset(): Promise<void> {
    for (const direction of DIRECTIONS) {
      const chain = this.#chains[direction];
      while (chain.length > 1) await this.#remove(chain[1] as ActiveToxic);
    }
  }

  toJSON(): ToxicJson[] {
    return this.list().map(toxicToJson);
  }

  async #remove(toxic: ActiveToxic): Promise<void> {
    const chain = this.#chains[toxic.direction];
    const index = chain.indexOf(toxic);
    chain.splice(index, 1);
    await this.#eachLink(toxic.direction, (link) => link.removeToxic(toxic, index));
  }

  async #eachLink(
    direction: StreamDirection,
    change: (link: ToxicLink) => Promise<void>,
  ): Promise<void> {
    const links = [...this.#links].map((link) => link.link(direction));
    await Promise.all(links.map(change));
  }
}
