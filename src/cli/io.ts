/** Where a CLI command writes: injected so commands can be tested without a process. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: line => process.stdout.write(line + '\n'),
  stderr: line => process.stderr.write(line + '\n'),
};
