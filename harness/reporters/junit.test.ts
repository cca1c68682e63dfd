import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXT, makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { escapeXml, renderJunit } from './junit.ts';

describe('renderJunit', () => {
  const xml = renderJunit(makeFailingRun());

  it('has one testcase per scenario', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<testsuites name="ws-upgrade-chaos" tests="3" failures="2" time="19.460">');
    expect(xml).toContain('<testcase classname="scenarios" name="failing-tokens" time="1.314"></testcase>');
  });

  it('puts findings and attempts in the failure', () => {
    expect(xml).toContain('<failure message="abnormal-closure: 1 of 9 attempt(s): closed 1006 without a close frame; wrong-status:');
    expect(xml).toContain('  attempt shutdown-mid-verification#9 (valid): expected 503 (shuttingDown) or accept, then close 1001 (shutdown), got 500');
    expect(xml).toContain('    at verifyClient (file:///srv/app/server.js:41:11)');
  });

  it('records the run as properties', () => {
    expect(xml).toContain('<property name="seed" value="3"/>');
    expect(xml).toContain('<property name="postgres" value="embedded 18.4"/>');
    expect(xml).toContain('<property name="unhandledRejections" value="1"/>');
  });

  it('escapes markup and drops control characters', () => {
    expect(xml).not.toContain(HOSTILE_TEXT);
    expect(escapeXml('a<b>&"\'\u0007c')).toBe('a&lt;b&gt;&amp;&quot;&apos;c');
  });

  it('reports a passing run without failures', () => {
    const passing = renderJunit(makePassingRun());
    expect(passing).toContain('tests="2" failures="0"');
    expect(passing).not.toContain('<failure');
  });
});
