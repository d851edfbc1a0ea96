/**
 * `cdk8s-ml-autoscaling` command line: dispatches `lint` and `simulate`.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { CliIo, processIo } from './io';
import { runLintCommand } from './lint-command';
import { runSimulateCommand } from './simulate-command';

export const MAIN_USAGE = [
  'Usage: cdk8s-ml-autoscaling <command> [arguments]',
  '',
  'Commands:',
  '  lint FILE.yaml...      check manifests for unsafe ML autoscaling configurations (exit 1 on errors)',
  '  simulate --manifest FILE.yaml --target NAME --trace TRACE.csv --capacity N --out DIR',
  '                         (or --concurrency N --service-time S instead of --capacity)',
  '                         replay a demand trace through the rendered HPA/ScaledObject (SVG/CSV report)',
  '',
  'Options:',
  '  -v, --version          print the version of cdk8s-ml-autoscaling',
  '  -h, --help             print this help',
  '',
  'Run `cdk8s-ml-autoscaling <command> --help` for the options of a command.',
].join('\n');

const PACKAGE_NAME = 'cdk8s-ml-autoscaling';

/**
 * The version in the package's own package.json, read at run time: the nearest package.json named
 * cdk8s-ml-autoscaling above this file (lib/src/cli/ in the package, src/cli/ in the repository).
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} found above ${from}`);
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
        if (command === 'help' && (rest[0] === 'lint' || rest[0] === 'simulate')) return main([rest[0], '--help'], io);
        (command === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        io.stdout(packageVersion());
        return 0;
      case 'lint':
        return runLintCommand(rest, io);
      case 'simulate':
        return runSimulateCommand(rest, io);
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
