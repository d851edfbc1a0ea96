import { IConstruct } from 'constructs';
import { ModelServer } from './model-server';
import { propError } from '../errors';

/** The tokens of the container's command line (shell strings split on whitespace). */
function tokensOf(command: string[] | undefined, args: string[] | undefined): string[] {
  return [...(command ?? []), ...(args ?? [])].flatMap(a => a.split(/\s+/)).filter(t => t.length > 0);
}

/** The value given to `flag` (`--flag v` or `--flag=v`), '' for a bare switch, undefined when absent. */
function flagValue(tokens: string[], flag: string): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.startsWith(`${flag}=`)) return t.slice(flag.length + 1);
    if (t === flag) return i + 1 < tokens.length && !tokens[i + 1].startsWith('--') ? tokens[i + 1] : '';
  }
  return undefined;
}

/** Where the flags were looked for, for messages. */
const WHERE = 'args';

/**
 * Checks the server's command line against its preset: the flags the library needs are there, none
 * that break the signals, and the ports the server listens on are the ports rendered (a server on
 * another port than its Service and probes never becomes ready). Only what `command`/`args` say is
 * checked: without them the image's defaults apply, which the preset describes.
 */
export function checkServerFlags(scope: IConstruct, server: ModelServer, props: {
  command?: string[]; args?: string[]; env?: { [name: string]: string };
}, httpPort: number, metricsPort: number | undefined): void {
  const tokens = tokensOf(props.command, props.args);
  for (const f of server.requiredFlags) {
    const value = flagValue(tokens, f.flag);
    const wanted = f.value === undefined ? `"${f.flag}"` : `"${f.flag}", "${f.value}"`;
    if (value === undefined || (f.value !== undefined && value !== f.value)) {
      throw propError(scope, WHERE, props.args ?? [], `${server.toString()} needs ${wanted}${value ? ` (got ${f.flag} ${value})` : ''}: ${f.reason}`,
        `add ${wanted} to args`);
    }
  }
  for (const f of server.conflictingFlags) {
    const [flag, wantedValue] = f.flag.split('=');
    const value = flagValue(tokens, flag);
    if (value !== undefined && (wantedValue === undefined || value === wantedValue)) {
      throw propError(scope, WHERE, props.args ?? [], `${f.flag} breaks the scaling signals of ${server.toString()}: ${f.reason}`,
        `remove ${flag} from args`);
    }
  }
  checkPort(scope, server, tokens, server.portFlag, server.httpPort, httpPort, 'httpPort', props.env);
  if (server.metricsPort !== undefined && metricsPort !== undefined) {
    checkPort(scope, server, tokens, server.metricsPortFlag, server.metricsPort, metricsPort, 'metricsPort', undefined);
  }
}

function checkPort(scope: IConstruct, server: ModelServer, tokens: string[], flag: string | undefined, serverDefault: number,
  rendered: number, prop: string, env: { [name: string]: string } | undefined): void {
  if (!flag) return;
  const given = flagValue(tokens, flag);
  if (given !== undefined) {
    if (given === String(rendered)) return;
    const problem = /^\d+$/.test(given) ? `sets ${flag} ${given}, but ${prop} is ${rendered}: probes, Service and scrapes would miss the server`
      : `sets ${flag} to ${JSON.stringify(given)}, which is not a port number`;
    throw propError(scope, WHERE, tokens.join(' '), problem, `set ${flag} to ${rendered} in args${/^\d+$/.test(given) ? `, or ${prop} to ${given}` : ''}`);
  }
  // TGI's launcher also reads the port from $PORT (its image sets PORT=80)
  const fromEnv = server.name === 'tgi' ? env?.PORT : undefined;
  const listens = fromEnv ?? String(serverDefault);
  if (listens !== String(rendered)) {
    throw propError(scope, prop, rendered, `${server.toString()} listens on ${listens} (${fromEnv !== undefined ? 'env PORT' : 'its default'}), ` +
      'so probes, Service and scrapes on this port would fail', `add "${flag}", "${rendered}" to args, or leave ${prop} out`);
  }
}
