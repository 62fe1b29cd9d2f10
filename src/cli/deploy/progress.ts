// A byte progress bar on stderr (cli-progress) when stderr is a terminal; plain lines otherwise,
// so logs of scripts and CI stay readable.
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export function byteProgress(label: string, total: number): Progress {
  if (!process.stderr.isTTY) {
    process.stderr.write(`${label} ${mib(total)}…\n`);
    return { update: () => undefined, stop: () => undefined };
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {doneMib} of {totalMib}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0, { doneMib: mib(0), totalMib: mib(total) });
  return {
    update: (done) => bar.update(done, { doneMib: mib(done), totalMib: mib(total) }),
    stop: () => bar.stop(),
  };
}
