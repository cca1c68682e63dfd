import type { ToxicSpec } from '../model/environment.ts';
import type { TargetPolicy } from '../model/policy.ts';
import type { OpenStep, ReconnectPolicy, ScenarioDefinition, TimelineStep } from '../model/scenario.ts';
import { resolveOutcomes } from '../runner/resolve-outcomes.ts';
import { TOKEN_CLASS_OUTCOMES } from '../tokens/mint-token.ts';

/** Inputs of the catalogue: the scenarios, each file's header comment, and the policy. */
export interface CatalogueInput {
  scenarios: readonly ScenarioDefinition[];
  /** Header comment of `scenarios/<name>.ts` as plain text, or null when it has none. */
  headerOf: (name: string) => string | null;
  policy: TargetPolicy;
}

/** Renders docs/scenarios.md: a summary table, then each scenario's faults and expectations. */
export function renderCatalogue(input: CatalogueInput): string {
  const lines = [
    '# Scenario catalogue',
    '',
    '<!-- Generated from scenarios/*.ts by `npm run docs:scenarios`; a test fails when it is stale. -->',
    '',
    `The default suite, in run order: ${input.scenarios.length} scenarios. Statuses and close`,
    'codes are the reference policy’s; against another target the runner takes them from its',
    'policy. Times are offsets from the scenario start. Every scenario also requires zero',
    'unhandled rejections, zero uncaught exceptions, no crash and no hung attempt.',
    '',
    '| scenario | tags | what passing proves |',
    '| --- | --- | --- |',
    ...input.scenarios.map((s) => `| [${s.name}](#${s.name}) | ${s.tags.join(', ')} | ${escapeCell(s.description)} |`),
  ];
  for (const scenario of input.scenarios) {
    lines.push('', ...renderScenario(scenario, input.headerOf(scenario.name), input.policy));
  }
  return `${lines.join('\n')}\n`;
}

function renderScenario(scenario: ScenarioDefinition, header: string | null, policy: TargetPolicy): string[] {
  const lines = [`## ${scenario.name}`, ''];
  lines.push(header ?? scenario.description, '');
  lines.push(`File: [scenarios/${scenario.name}.ts](../scenarios/${scenario.name}.ts). Tags: ${scenario.tags.join(', ')}.`);

  const setup = renderSetup(scenario);
  if (setup.length > 0) lines.push('', '**Set-up**', '', ...setup.map((line) => `- ${line}`));

  lines.push('', '**Timeline**', '');
  const steps = [...scenario.timeline].sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0));
  for (const step of steps) lines.push(`- ${renderTiming(step)}: ${renderStep(step, policy)}`);

  const expectations = renderExpectations(scenario);
  if (expectations.length > 0) lines.push('', '**Also expected**', '', ...expectations.map((line) => `- ${line}`));
  return lines;
}

function renderSetup(scenario: ScenarioDefinition): string[] {
  const setup = scenario.setup;
  if (setup === undefined) return [];
  const lines: string[] = [];
  for (const toxic of setup.toxics ?? []) lines.push(`toxic ${describeToxicSpec(toxic)}`);
  if (setup.verifyTimeoutMs !== undefined) lines.push(`verification deadline ${setup.verifyTimeoutMs} ms`);
  if (setup.shutdownGraceMs !== undefined) lines.push(`shutdown grace period ${setup.shutdownGraceMs} ms`);
  if (setup.jwtAlgorithm !== undefined) lines.push(`tokens signed with ${setup.jwtAlgorithm}, and the target told to accept only it`);
  for (const [name, value] of Object.entries(setup.targetEnv ?? {})) lines.push(`target env \`${name}=${value}\``);
  for (const { name, urlEnv } of setup.databaseProxies ?? []) {
    lines.push(`a second database proxy \`${name}\`, given to the target as \`${urlEnv}\``);
  }
  if (setup.jwksProxy !== undefined) {
    const { name, urlEnv } = setup.jwksProxy;
    lines.push(`the target's public key served as a JSON Web Key Set behind proxy \`${name}\`, its URL given as \`${urlEnv}\``);
  }
  return lines;
}

function renderTiming(step: TimelineStep): string {
  const at = `${step.atMs ?? 0} ms`;
  return step.whenPending === undefined ? at : `${at}, once ${step.whenPending} attempts are pending`;
}

function renderStep(step: TimelineStep, policy: TargetPolicy): string {
  switch (step.action) {
    case 'open':
      return renderOpen(step, policy);
    case 'signal':
      return `send ${step.signal} to the target`;
    case 'add-toxic':
      return `add toxic ${describeToxicSpec(step.toxic)}${onProxy(step.proxy)}`;
    case 'remove-toxic':
      return `remove toxic \`${step.name}\`${onProxy(step.proxy)}`;
    case 'restart-target':
      return 'restart the target on its port: shutdown signal, wait for the exit, start, wait until ready';
    case 'set-proxy-enabled':
      return step.enabled ? 'enable the database proxy' : 'disable the database proxy';
    default:
      return renderOtherStep(step);
  }
}

/** Renders an action this module has no wording for as its name and fields. */
function renderOtherStep(step: TimelineStep): string {
  const { action, atMs: _atMs, whenPending: _whenPending, ...fields } = step as unknown as Record<string, unknown>;
  const details = Object.entries(fields).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return details.length === 0 ? `\`${String(action)}\`` : `\`${String(action)}\` (${details.join(', ')})`;
}

function renderOpen(step: OpenStep, policy: TargetPolicy): string {
  const expected = resolveOutcomes(step.expect ?? [TOKEN_CLASS_OUTCOMES[step.tokenClass]], policy);
  const parts = [`open ${step.count} × \`${step.tokenClass}\``];
  if (step.spreadMs) parts.push(`spread over ${step.spreadMs} ms`);
  if (step.sameUser) parts.push('all as one user');
  if (step.tokenTtlS !== undefined) parts.push(`tokens valid for ${step.tokenTtlS} s`);
  if (step.origin !== undefined) parts.push(`with \`Origin: ${step.origin}\``);
  if (step.holdMs === null) parts.push('held open until the server closes them');
  else if (step.holdMs !== undefined && step.holdMs > 0) parts.push(`held open ${step.holdMs} ms`);
  if (step.reconnect !== undefined) parts.push(describeReconnect(step.reconnect));
  if (step.abortAfterMs !== undefined) {
    parts.push(`each client destroys its socket ${step.abortAfterMs} ms after the request, before any response`);
  }
  const bounds: string[] = [];
  if (step.minResponseMs !== undefined) bounds.push(`no sooner than ${step.minResponseMs} ms`);
  if (step.maxResponseMs !== undefined) bounds.push(`within ${step.maxResponseMs} ms`);
  if (step.maxOpenMs !== undefined) bounds.push(`closed within ${step.maxOpenMs} ms of opening`);
  for (const [phase, ms] of Object.entries(step.minPhaseMs ?? {})) {
    bounds.push(`Server-Timing phase \`${phase}\` reported${ms > 0 ? ` at ${ms} ms or more` : ''}`);
  }
  const outcome = expected.map((item) => item.label).join(' or ');
  const timing = bounds.length === 0 ? '' : `, ${bounds.join(', ')}`;
  return `${parts.join(', ')}: expect ${outcome}${timing}`;
}

function renderExpectations(scenario: ScenarioDefinition): string[] {
  const expect = scenario.expect;
  if (expect === undefined) return [];
  const lines: string[] = [];
  if (expect.targetExit !== undefined) lines.push(`the target exits with code ${expect.targetExit.code} within its grace period`);
  for (const [outcome, count] of Object.entries(expect.outcomeCounts ?? {})) {
    lines.push(`exactly ${count} attempts end as \`${outcome}\``);
  }
  if (expect.attemptTimeoutMs !== undefined) lines.push(`an attempt with no outcome after ${expect.attemptTimeoutMs} ms is hung`);
  if (expect.maxHandles !== undefined) {
    const { type, atMs, count } = expect.maxHandles;
    lines.push(`from ${atMs} ms on, every probe sample counts at most ${count} \`${type}\` in the target`);
  }
  if (expect.maxBackends !== undefined) {
    const { count, intervalMs = 100 } = expect.maxBackends;
    lines.push(`\`pg_stat_activity\`, sampled every ${intervalMs} ms, never shows more than ${count} sessions of the target`);
  }
  return lines;
}

function onProxy(proxy: string | undefined): string {
  return proxy === undefined || proxy === 'database' ? '' : ` on proxy \`${proxy}\``;
}

function describeReconnect(policy: ReconnectPolicy): string {
  return (
    `each client reconnecting after a server close, a 503 or a refused connection, with backoff from ` +
    `${policy.baseDelayMs} ms doubling to ${policy.maxDelayMs} ms, at most ${policy.maxTries} tries within ` +
    `${policy.budgetMs} ms, and holding a new session ${policy.reconnectHoldMs} ms`
  );
}

function describeToxicSpec(toxic: ToxicSpec): string {
  const attributes = Object.entries(toxic.attributes).map(([key, value]) => `${key}=${value}`);
  const stream = toxic.stream ?? 'downstream (the default)';
  const toxicity = toxic.toxicity === undefined || toxic.toxicity === 1 ? '' : `, toxicity ${toxic.toxicity}`;
  return `\`${toxic.name}\`: ${toxic.type} on ${stream}, ${attributes.join(' ')}${toxicity}`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * Extracts the JSDoc block right above `export default` in a scenario file, as plain text with
 * the comment markers removed and lines joined into paragraphs.
 */
export function extractHeader(source: string): string | null {
  const match = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export default/.exec(source);
  if (match === null) return null;
  const lines = (match[1] ?? '').split('\n').map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length > 0) paragraphs.push(current.join(' '));
      current = [];
    } else {
      current.push(line.trim());
    }
  }
  if (current.length > 0) paragraphs.push(current.join(' '));
  return paragraphs.length === 0 ? null : paragraphs.join('\n\n');
}
