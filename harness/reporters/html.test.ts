import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXT, makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { renderHtml } from './html.ts';
import { makeLargeRun, makeTypicalRun } from './large-fixtures.test-helper.ts';

/** Reads the JSON the report embeds for its charts. */
function readEmbeddedData(html: string): { scenarios: { anchor: string; name: string }[] } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('renderHtml', () => {
  const failing = renderHtml(makeFailingRun());

  it('puts the verdict and counts in the header', () => {
    expect(failing).toContain('<span id="verdict" class="badge fail">FAIL</span>');
    expect(failing).toContain('<div class="value">1 passed · 2 failed</div>');
    expect(failing).toContain('<div class="value">1</div><div class="label">unhandled rejections</div>');
    expect(renderHtml(makePassingRun())).toContain('<span id="verdict" class="badge pass">PASS</span>');
  });

  it('names the backends, node and probe', () => {
    expect(failing).toContain('<th>postgres</th><td>embedded 18.4</td>');
    expect(failing).toContain('<th>proxy</th><td>toxiproxy builtin 2.12.0</td>');
    expect(failing).toContain('<th>node</th><td>v20.20.2</td>');
    expect(failing).toContain('<th>probe</th><td>loaded (Node target)');
  });

  it('orders failed scenarios first', () => {
    const order = [...failing.matchAll(/<section class="scenario (pass|fail)" id="[^"]+" data-scenario="([^"]+)"/g)].map((match) => match[2]);
    expect(order).toEqual(['async-verify-crash', 'shutdown-mid-verification', 'failing-tokens']);
  });

  it('shows the evidence of each finding', () => {
    expect(failing).toContain('at verifyClient (file:///srv/app/server.js:41:11)');
    expect(failing).toContain('crash cause (unhandledRejection): Error: connect ECONNREFUSED 127.0.0.1:5432');
    expect(failing).toContain('{&quot;level&quot;:50,&quot;msg&quot;:&quot;shutdown failed&quot;');
    expect(failing).toContain('<td class="id">shutdown-mid-verification#1</td><td>valid</td><td>accept, then close 1001 (shutdown)</td><td class="bad">101 Switching Protocols, closed 1006 Abnormal Closure by server</td>');
    expect(failing).toContain('<td class="bad">500 Internal Server Error</td>');
    expect(failing).toContain('<strong>unhandled rejection</strong> in pid 4242');
  });

  it('flags close codes and statuses', () => {
    expect(failing).toContain('<td class="num">1006</td><td>Abnormal Closure</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td><span class="badge warn">check</span> <span class="badge fail">1 not allowed</span></td>');
    expect(failing).toContain('<td class="num">500</td><td>Internal Server Error</td><td class="num">1</td><td><span class="badge fail">1 not allowed</span></td>');
  });

  it('escapes text from the target and scenario', () => {
    expect(failing).not.toContain(HOSTILE_TEXT);
    expect(failing).not.toContain('<script>window.__injected');
    expect(failing).toContain('&lt;/script&gt;&lt;script&gt;window.__injected = 1&lt;/script&gt;&lt;!--');
    const data = readEmbeddedData(failing);
    expect(data.scenarios.map((scenario) => scenario.name)).toEqual(['async-verify-crash', 'shutdown-mid-verification', 'failing-tokens']);
    const json = /id="report-data">([\s\S]*?)<\/script>/.exec(failing)?.[1] ?? '';
    expect(json).not.toContain('<');
  });

  it('loads nothing from the network', () => {
    expect(failing).not.toMatch(/<script[^>]+src=/);
    expect(failing).not.toMatch(/<link[^>]+href=/);
    expect(failing).not.toMatch(/url\(\s*['"]?https?:/);
    expect(failing).not.toContain('sourceMappingURL');
    expect(failing).toContain('Chart.js v4');
  });

  it('compares with a baseline', () => {
    const html = renderHtml(makeFailingRun(), { baseline: { run: { result: makePassingRun(), source: '/runs/previous/results.json' }, note: 'Baseline: given.' } });
    expect(html).toContain('<p class="bad">7 new finding(s), 0 latency regression(s).</p>');
    expect(html).toContain('<li><strong>shutdown-mid-verification</strong> <code>exit-code</code> target exited with code 1; expected code 0</li>');
    expect(html).toContain("A scenario&#39;s p90 handshake latency regressed when it grew by more than 20 % and by more than 50 ms over the baseline&#39;s.");
    expect(html).toContain('<span class="badge new">new</span>');
  });

  it('says when there is no baseline', () => {
    expect(failing).toContain('No baseline: none was given to the reporter.');
  });

  it('stays small for 5000 attempts', () => {
    const html = renderHtml(makeLargeRun(5000));
    expect(html.length).toBeLessThan(1_000_000);
    expect(/Showing \d+ of \d+: failed attempts first/.exec(html)?.[0]).toBe('Showing 200 of 5000: failed attempts first');
  });

  it('stays small for a typical run', () => {
    expect(renderHtml(makeTypicalRun()).length).toBeLessThan(500_000);
  });
});
