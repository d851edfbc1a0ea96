import { readFileSync } from 'fs';
import { bundlePromql, VENDOR_FILE } from '../../projenrc/vendor-promql';

test('vendor/lezer-promql.ts is a fresh bundle of the pinned @prometheus-io/lezer-promql (npx projen vendor:promql)', () => {
  const committed = readFileSync(VENDOR_FILE, 'utf8');
  expect(committed).toContain('@prometheus-io/lezer-promql@0.315.0');
  expect(committed === bundlePromql()).toBe(true);
});

test('the bundled parser parses PromQL and marks syntax errors', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parser } = require('../../vendor/lezer-promql');
  const errorsOf = (q: string) => {
    const out: number[] = [];
    parser.parse(q).iterate({ enter: (n: any) => { if (n.type.isError) out.push(n.from); } });
    return out;
  };
  expect(errorsOf('sum(rate(foo[5m])) by (pod)')).toEqual([]);
  expect(errorsOf('foo{a="b"')).not.toEqual([]);
});
