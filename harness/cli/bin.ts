#!/usr/bin/env -S node --import tsx
import { main } from './main.ts';
import { stopAllTargets } from '../target/start-target.ts';

const controller = new AbortController();
let interrupts = 0;

// Ctrl-C aborts the run, whose cleanup stops the target, the proxy and Postgres in that order.
// A second Ctrl-C kills the targets at once and exits.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts === 1) {
      controller.abort();
      return;
    }
    void stopAllTargets().finally(() => process.exit(130));
  });
}

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// Sockets of attempts cut short by an interrupt may still hold the loop; everything the
// harness started has been stopped by now.
setTimeout(() => process.exit(code), 2_000).unref();
