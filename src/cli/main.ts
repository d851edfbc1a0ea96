/**
 * `cdk8s-ml-autoscaling` command line: dispatches `lint` and `simulate`.
 */
import { CliIo, processIo } from './io';
import { LINT_USAGE, runLintCommand } from './lint-command';

export const MAIN_USAGE = [
  'Usage: cdk8s-ml-autoscaling <command> [arguments]',
  '',
  'Commands:',
  '  lint FILE.yaml...      check manifests for unsafe ML autoscaling configurations (exit 1 on errors)',
  '  simulate ...           replay a load trace through the rendered HPA/ScaledObject specs',
  '',
  'Run `cdk8s-ml-autoscaling <command> --help` for the options of a command.',
].join('\n');

type Command = (args: string[], io: CliIo) => number;

/** The simulate command lives in its own module; it is loaded only when asked for. */
function simulateCommand(): Command | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./simulate-command');
    return typeof mod.runSimulateCommand === 'function' ? mod.runSimulateCommand : undefined;
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND' && /simulate-command/.test(String(e.message))) return undefined;
    throw e;
  }
}

/**
 * Runs the CLI with the arguments after the program name; returns the exit status.
 */
export function main(argv: string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        if (command === 'help' && rest[0] === 'lint') {
          io.stdout(LINT_USAGE);
          return 0;
        }
        (command === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
        return command === undefined ? 2 : 0;
      case 'lint':
        return runLintCommand(rest, io);
      case 'simulate': {
        const simulate = simulateCommand();
        if (!simulate) {
          io.stderr('simulate: not available in this build');
          return 2;
        }
        return simulate(rest, io);
      }
      default:
        io.stderr(`unknown command "${command}"`);
        io.stderr(MAIN_USAGE);
        return 2;
    }
  } catch (e: any) {
    io.stderr(`${command}: ${e?.message ?? e}`);
    return 2;
  }
}
