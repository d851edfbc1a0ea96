/**
 * Runs the CLI in a child process, as bin/cdk8s-ml-autoscaling does (`process.exitCode = main(argv)`),
 * on the TypeScript sources through ts-node, so exit status, stdin and the process's own file
 * descriptors are real.
 */
import * as child from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Standard input (a socket, as Node's child-process pipes are). */
  readonly input?: string;
  /** A file that `cat` writes into the CLI's standard input through a shell pipe (a FIFO). */
  readonly pipeFrom?: string;
  readonly timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const node = [
    process.execPath,
    '-r', 'ts-node/register/transpile-only',
    '-e', 'process.exitCode = require("./src/cli/main").main(process.argv.slice(1))',
    ...args,
  ];
  const [command, ...argv] = options.pipeFrom === undefined ? node
    : ['bash', '-c', 'src=$1; shift; cat -- "$src" | "$@"', 'bash', options.pipeFrom, ...node];
  const r = child.spawnSync(command, argv, {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' },
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
