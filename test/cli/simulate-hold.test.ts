import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo } from '../../src/cli/io';
import { runSimulateCommand } from '../../src/cli/simulate-command';

/** A workload at zero behind a Service, a ScaledObject on the request rate polled every second, and (optionally) an InterceptorRoute. */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: { name: chat }
spec:
  replicas: 0
  selector: { matchLabels: { app: chat } }
  template:
    metadata: { labels: { app: chat } }
    spec: { containers: [{ name: vllm, image: vllm }] }
---
apiVersion: v1
kind: Service
metadata: { name: chat-svc }
spec: { selector: { app: chat }, ports: [{ port: 8000 }] }
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: chat }
spec:
  scaleTargetRef: { name: chat }
  minReplicaCount: 0
  maxReplicaCount: 4
  pollingInterval: 1
  triggers:
  - type: prometheus
    metadata: { query: 'sum(rate(http_requests_total[1m]))', threshold: '5', activationThreshold: '0' }
`;
const ROUTE = `---
apiVersion: http.keda.sh/v1beta1
kind: InterceptorRoute
metadata: { name: chat-route }
spec:
  target: { service: chat-svc, port: 8000 }
  scalingMetric: { concurrency: { targetValue: 4 } }
  timeouts: { readiness: 60s }
`;

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: l => out.push(l), stderr: l => err.push(l) };
}

describe('simulate --hold-timeout / --no-holder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-hold-'));
    fs.writeFileSync(path.join(dir, 'app.yaml'), MANIFEST);
    fs.writeFileSync(path.join(dir, 'routed.yaml'), MANIFEST + ROUTE);
    // one request at t = 0 (1 item/s for 1 s), then nothing until 300 s
    fs.writeFileSync(path.join(dir, 'trace.csv'), 'time,arrivals\n0,1\n1,0\n300,0\n');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (flags: string[], manifest = 'app.yaml') => {
    const io = capture();
    const status = runSimulateCommand(['--manifest', path.join(dir, manifest), '--target', 'chat', '--trace', path.join(dir, 'trace.csv'),
      '--capacity', '10', '--cold-start', '90s', '--initial-replicas', '0', '--out', path.join(dir, 'out'), ...flags], io);
    return { status, io, text: io.out.join('\n') };
  };

  test('--hold-timeout 60s: the request is held and fails; the summary says so', () => {
    const r = run(['--hold-timeout', '60s']);
    expect(r.io.err).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.text).toContain('held requests      1 held while no pod was ready, 1 failed; first request after idle waited max 60 s');
    expect(fs.readFileSync(path.join(dir, 'out', 'report.svg'), 'utf8')).toContain('1 held, 1 failed');
  });

  test('--hold-timeout 2m: nothing fails, the first request waited 90 s', () => {
    const r = run(['--hold-timeout', '2m']);
    expect(r.status).toBe(0);
    expect(r.text).toContain('held requests      1 held while no pod was ready, 0 failed; first request after idle waited max 90 s');
  });

  test('--no-holder: the request fails at once', () => {
    const r = run(['--no-holder']);
    expect(r.status).toBe(0);
    expect(r.text).toContain('held requests      0 held while no pod was ready, 1 failed; first request after idle waited max 0.0 s');
  });

  test('without the flags: the InterceptorRoute in --manifest holds for its readiness timeout; without one no holding line', () => {
    expect(run([], 'routed.yaml').text).toContain('1 failed; first request after idle waited max 60 s');
    expect(run(['--hold-timeout', '120s'], 'routed.yaml').text).toContain('0 failed; first request after idle waited max 90 s');
    expect(run([]).text).not.toContain('held requests');
  });

  test('bad flags: one line each, exit 2', () => {
    const both = run(['--hold-timeout', '60s', '--no-holder']);
    expect(both.status).toBe(2);
    expect(both.io.err[0]).toBe('simulate: --hold-timeout and --no-holder exclude each other: give --hold-timeout for a holder, --no-holder for none');
    expect(run(['--hold-timeout', '0s']).io.err[0]).toBe('simulate: --hold-timeout "0s" must be a duration greater than 0 (e.g. 120s, 2m)');
    expect(run(['--hold-timeout', 'soon']).io.err[0]).toBe('simulate: --hold-timeout "soon" is not a duration (e.g. 90s, 2m, 1m30s)');
    expect(run(['--no-holder=yes']).io.err[0]).toBe('simulate: --no-holder takes no value');
  });

  test('--help names the flags', () => {
    const io = capture();
    expect(runSimulateCommand(['--help'], io)).toBe(0);
    expect(io.out[0]).toMatch(/--hold-timeout 120s \| --no-holder/);
    expect(io.out[0]).toMatch(/--no-holder {7}no request holder/);
  });
});
