/**
 * Throughput of the built-in proxy with no toxic, against a direct loopback connection.
 * Each phase streams 64 KiB writes from one client to a discarding server for a fixed time and
 * counts the bytes the server received. Run: `npx tsx harness/proxy/bench.ts [seconds per phase]`
 * (default 2.5, so the whole run stays near 5 s).
 */
import { type AddressInfo, connect, createServer, type Server } from 'node:net';

import { startToxiproxyServer } from './toxiproxy-server.ts';

const WRITE_BYTES = 64 * 1024;

interface PhaseResult {
  bytes: number;
  seconds: number;
  bytesPerSecond: number;
}

async function startSink(): Promise<{ server: Server; port: number; received: () => number }> {
  let received = 0;
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('error', () => {
      // The client is destroyed at the end of each phase; the count is already taken.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, received: () => received };
}

/** Writes as fast as the socket drains for `seconds`, then returns what the sink counted. */
async function runPhase(
  port: number,
  received: () => number,
  seconds: number,
): Promise<PhaseResult> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const block = Buffer.alloc(WRITE_BYTES, 7);
  const before = received();
  const startedMs = performance.now();
  const endMs = startedMs + seconds * 1000;

  while (performance.now() < endMs) {
    if (!socket.write(block)) {
      await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
    }
  }
  const elapsedSeconds = (performance.now() - startedMs) / 1000;
  const bytes = received() - before;
  socket.destroy();
  return { bytes, seconds: elapsedSeconds, bytesPerSecond: bytes / elapsedSeconds };
}

function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? '2.5');
  const sink = await startSink();
  const toxiproxy = await startToxiproxyServer({ port: 0 });
  try {
    const response = await fetch(`${toxiproxy.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'bench',
        listen: '127.0.0.1:0',
        upstream: `127.0.0.1:${sink.port}`,
      }),
    });
    const proxy = (await response.json()) as { listen: string };
    const proxyPort = Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));

    const direct = await runPhase(sink.port, sink.received, seconds);
    const proxied = await runPhase(proxyPort, sink.received, seconds);
    const ratio = proxied.bytesPerSecond / direct.bytesPerSecond;

    console.log(`direct loopback: ${formatRate(direct.bytesPerSecond)}`);
    console.log(`through proxy:   ${formatRate(proxied.bytesPerSecond)}`);
    console.log(`ratio:           ${ratio.toFixed(2)}`);
    console.log(JSON.stringify({ direct, proxied, ratio }));
  } finally {
    await toxiproxy.stop();
    await new Promise<void>((resolve) => sink.server.close(() => resolve()));
  }
}

await main();
