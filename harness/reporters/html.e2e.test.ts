import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../model/result.ts';
import { makeFailingRun, makePassingRun } from './fixtures.test-helper.ts';
import { renderHtml } from './html.ts';
import { makeLargeRun } from './large-fixtures.test-helper.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../.tmp/screenshots/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// NOTE: .ci/run installs Debian's chromium, so on CI a missing browser fails the test instead.
const skipReason = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is missing; install it with apt-get install chromium` : null;

let workDir: string;
let context: BrowserContext;

beforeAll(async () => {
  if (skipReason !== null) return;
  workDir = await mkdtemp(path.join(tmpdir(), 'wuc-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1400, height: 1000 },
  });
});

afterAll(async () => {
  await context?.close();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

interface OpenedReport {
  page: Page;
  problems: string[];
  requests: string[];
}

/** Renders `result` into its own folder, opens it and records every console error and request. */
async function openReport(name: string, result: RunResult): Promise<OpenedReport> {
  const dir = path.join(workDir, name);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'index.html');
  await writeFile(file, renderHtml(result));
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });
  // The page script marks each canvas with data-points or data-error once it has drawn it.
  const everyChartDone = `document.querySelectorAll('canvas[data-points], canvas[data-error]').length === document.querySelectorAll('canvas[data-chart]').length`;
  await page.waitForFunction(everyChartDone, null, { timeout: 30_000 });
  return { page, problems, requests };
}

/** Per canvas: its chart kind, whether Chart.js owns it, and how many points it drew. */
async function readCharts(page: Page): Promise<{ kind: string; owned: boolean; points: number }[]> {
  return page.$$eval('canvas[data-chart]', (canvases) =>
    canvases.map((canvas) => ({
      kind: canvas.getAttribute('data-chart') ?? '',
      owned: (globalThis as unknown as { Chart: { getChart(item: unknown): unknown } }).Chart.getChart(canvas) !== undefined,
      points: Number(canvas.getAttribute('data-points') ?? '0'),
    })),
  );
}

describe.skipIf(skipReason !== null)('HTML report in Chromium', () => {
  it('shows a passing run with its charts', async () => {
    const { page, problems, requests } = await openReport('passing', makePassingRun());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-passing.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
    expect(await page.textContent('#verdict')).toBe('PASS');
    const charts = await readCharts(page);
    expect(charts.map((chart) => chart.kind)).toEqual(['started', 'scatter', 'connections', 'inflight', 'histogram', 'started', 'scatter', 'connections', 'inflight', 'histogram']);
    expect(charts.every((chart) => chart.owned && chart.points > 0)).toBe(true);
    await page.close();
  });

  it('shows a failing run with its evidence', async () => {
    const { page, problems, requests } = await openReport('failing', makeFailingRun());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-failing.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
    expect(await page.textContent('#verdict')).toBe('FAIL');
    const sections = await page.$$eval('section.scenario', (items) => items.map((item) => `${item.getAttribute('data-scenario')}:${item.querySelector('.badge')?.textContent}`));
    expect(sections).toEqual(['async-verify-crash:FAIL', 'shutdown-mid-verification:FAIL', 'failing-tokens:PASS']);
    const codes = await page.$$eval('li.finding', (items) => items.map((item) => item.getAttribute('data-code')));
    expect(codes).toEqual(['unhandled-rejection', 'crash', 'hung-upgrade', 'client-error', 'abnormal-closure', 'wrong-status', 'exit-code']);
    expect(await page.textContent('.probe-events')).toContain('at verifyClient (file:///srv/app/server.js:41:11)');
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    const legend = await page.textContent('#' + (await page.getAttribute('section[data-scenario="shutdown-mid-verification"]', 'id')) + ' .chart-started .chart-legend');
    expect(legend).toContain('fault: toxic slow-db: latency downstream latency=3000 jitter=0, 1 s → end of scenario (never removed)');
    expect(legend).toContain('signal at 1.3 s: SIGTERM');
    const charts = await readCharts(page);
    expect(charts.filter((chart) => chart.kind === 'histogram')).toHaveLength(2);
    expect(charts.every((chart) => chart.owned && chart.points > 0)).toBe(true);
    await page.close();
  });

  it('draws 5000 attempts from a sample', async () => {
    const { page, problems } = await openReport('large', makeLargeRun(5000));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-5000-attempts.png'), fullPage: true });
    expect(problems).toEqual([]);
    const charts = await readCharts(page);
    expect(charts.find((chart) => chart.kind === 'scatter')?.points).toBe(2000);
    expect(charts.find((chart) => chart.kind === 'connections')?.points).toBe(500);
    expect(await page.textContent('.chart-connections .sample-note')).toBe(' (300 of 5000 attempts: every failed one up to half, then an even sample)');
    await page.close();
  });
});
