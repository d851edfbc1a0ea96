/**
 * Runs Prometheus' own rule evaluator, `promtool test rules`, on rule groups and a unit-test file
 * (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/). promtool is taken
 * from env PROMTOOL, else from PATH. Without one the tests are skipped with a message, unless
 * REQUIRE_PROMTOOL=1 (CI), where they fail.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

/** The promtool binary to use, or undefined. */
export function findPromtool(): string | undefined {
  const fromEnv = process.env.PROMTOOL;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'promtool');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `describe` when promtool is there; else skipped with a message, or failing with REQUIRE_PROMTOOL=1. */
export function describeWithPromtool(name: string, body: (promtool: string) => void): void {
  const promtool = findPromtool();
  if (promtool) {
    describe(name, () => body(promtool));
  } else if (process.env.REQUIRE_PROMTOOL === '1') {
    test(name, () => {
      throw new Error('REQUIRE_PROMTOOL=1 but no promtool found: set PROMTOOL to the binary or put promtool on PATH');
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${name}": no promtool (set PROMTOOL=/path/to/promtool or put it on PATH; REQUIRE_PROMTOOL=1 makes this fail)`);
    describe.skip(name, () => test('promtool', () => {}));
  }
}

/** The result of one `promtool test rules` run. */
export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Writes `groups` as a rule file and `tests` as its unit-test file into a temp dir and runs promtool on them.
 * Each test gets `interval: 1m` unless it sets one: promtool 2.42 spaces the input samples by the test's own
 * `interval`, not by `evaluation_interval`.
 */
export function promtoolTestRules(promtool: string, groups: unknown[], tests: unknown[]): PromtoolResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-autoscaling-rules-'));
  try {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), Yaml.stringify({ groups }));
    fs.writeFileSync(path.join(dir, 'rules_test.yaml'), Yaml.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: tests.map(t => ({ interval: '1m', ...(t as object) })) }));
    const run = spawnSync(promtool, ['test', 'rules', 'rules_test.yaml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
    return { status: run.status, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
