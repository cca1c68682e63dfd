import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyControl } from '../environment/proxy-control.ts';
import { runCleanups } from '../environment/test-helpers.ts';
import { ToxiproxyControl } from '../environment/toxiproxy-control.ts';
import type { ProxyControl } from '../model/environment.ts';
import { startToxiproxyServer } from '../proxy/toxiproxy-server.ts';
import { trackFaultWindows } from './track-fault-windows.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

const LATENCY = { name: 'slow', type: 'latency', attributes: { latency: 10 } } as const;

/** A built-in proxy in front of a TCP echo server, as the harness's ProxyControl. */
async function startProxy(hasStats: boolean): Promise<ProxyControl> {
  const echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => echo.close(() => resolve())));
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.stop());
  const api = new ToxiproxyControl(server.url);
  const upstream = `127.0.0.1:${(echo.address() as net.AddressInfo).port}`;
  const record = await api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
  const listenPort = Number(record.listen.slice(record.listen.lastIndexOf(':') + 1));
  return createProxyControl({ api, name: 'db', listenHost: '127.0.0.1', listenPort, hasStats });
}

/** Sends one line through the proxy and waits for its echo. */
async function sendThrough(proxy: ProxyControl): Promise<void> {
  const socket = net.connect(proxy.listenPort, proxy.listenHost);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', () => resolve());
    socket.write('ping\n');
  });
  socket.destroy();
}

describe('trackFaultWindows', () => {
  it('passes a toxic that saw traffic', async () => {
    const tracker = trackFaultWindows(await startProxy(true));
    await tracker.proxy.addToxic(LATENCY);
    await sendThrough(tracker.proxy);
    await tracker.proxy.removeToxic('slow');

    expect(await tracker.finish(false)).toEqual({ findings: [], notes: [] });
  });

  it('flags a toxic on an idle link', async () => {
    const proxy = await startProxy(true);
    await sendThrough(proxy);
    const tracker = trackFaultWindows(proxy);
    await tracker.proxy.addToxic(LATENCY);
    await tracker.proxy.removeToxic('slow');
    await sendThrough(proxy);

    const { findings, notes } = await tracker.finish(false);

    expect(findings.map((finding) => finding.code)).toEqual(['fault-not-exercised']);
    expect(findings[0]?.message).toMatch(/^toxic slow \(latency\) was in effect from \d+ ms to \d+ ms and the proxy carried no bytes in that time$/);
    expect(notes).toEqual([]);
  });

  it('counts traffic after a re-enable', async () => {
    const tracker = trackFaultWindows(await startProxy(true));
    await tracker.proxy.setEnabled(false);
    await tracker.proxy.setEnabled(true);
    await sendThrough(tracker.proxy);

    expect((await tracker.finish(false)).findings).toEqual([]);
  });

  it('flags a toggle with no traffic', async () => {
    const tracker = trackFaultWindows(await startProxy(true));
    await tracker.proxy.setEnabled(false);
    await tracker.proxy.setEnabled(true);

    const { findings } = await tracker.finish(false);

    expect(findings.map((finding) => finding.message.split(' was ')[0])).toEqual(['proxy disabled']);
  });

  it('notes a backend without counters', async () => {
    const tracker = trackFaultWindows(await startProxy(false));
    await tracker.proxy.addToxic(LATENCY);

    expect(await tracker.finish(false)).toEqual({
      findings: [],
      notes: ['The proxy backend has no byte counters, so whether each fault touched traffic was not checked.'],
    });
  });

  it('names an extra proxy', async () => {
    const tracker = trackFaultWindows(await startProxy(true), ' on proxy jwks');
    await tracker.proxy.addToxic(LATENCY);
    await tracker.proxy.removeToxic('slow');

    const { findings } = await tracker.finish(false);

    expect(findings.map((finding) => finding.message.split(' was ')[0])).toEqual(['toxic slow (latency) on proxy jwks']);
  });

  it('excuses a window cut by an exit', async () => {
    const tracker = trackFaultWindows(await startProxy(true));
    await tracker.proxy.setEnabled(false);

    expect(await tracker.finish(true)).toEqual({
      findings: [],
      notes: ['proxy disabled saw no bytes, but the target exited while it was in effect, so it was not judged.'],
    });
  });

  it('adds nothing without faults', async () => {
    const tracker = trackFaultWindows(await startProxy(false));

    expect(await tracker.finish(false)).toEqual({ findings: [], notes: [] });
  });
});
