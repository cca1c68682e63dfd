import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { parseOptions, renderHelp } from '../cli/options.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function collect(): { stream: PassThrough; read: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, read: () => text };
}

describe('--baseline option', () => {
  it('is parsed and listed in the help', () => {
    expect(parseOptions(['--baseline', 'reports/a/results.json']).baseline).toBe('reports/a/results.json');
    expect(parseOptions(['--baseline=b.json']).baseline).toBe('b.json');
    expect(parseOptions([]).baseline).toBeNull();
    expect(renderHelp()).toContain('  --baseline <file>      An earlier run’s results.json to compare with (new findings, p90 latency).');
  });

  it('fails with exit 2 before the run on a missing file', async () => {
    const stdout = collect();
    const stderr = collect();
    const code = await main(['--filter', 'failing-tokens', '--baseline', 'no/such/results.json'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      cwd: ROOT,
      env: { LOG_LEVEL: 'silent' },
    });
    expect(code).toBe(2);
    expect(stderr.read()).toBe(
      'error WUC_ERR_USAGE_INVALID_OPTION: --baseline "' + `${ROOT}no/such/results.json` + '" cannot be read; give the path of a results.json from an earlier run\n',
    );
    expect(stdout.read()).toBe('');
  });
});
