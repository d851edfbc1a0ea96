import { parseYamlDocuments, parseYamlText } from '../../src/guardrails/yaml-text';

test('parseYamlText caches by text but hands each caller its own copy', () => {
  const text = 'kind: ConfigMap\nmetadata:\n  name: shared-copy-test\ndata:\n  a: "1"\n';
  const first = parseYamlText(text);
  first[0].metadata.name = 'changed by the first caller';
  first.push({ kind: 'Extra' });
  const second = parseYamlText(text);
  expect(second).toEqual([{ kind: 'ConfigMap', metadata: { name: 'shared-copy-test' }, data: { a: '1' } }]);
  expect(second).not.toBe(first);
});

test('parseYamlDocuments reads every document, YAML 1.1 as cdk8s does', () => {
  expect(parseYamlDocuments('a: yes\n---\nb: "on"\n---\n')).toEqual([{ a: true }, { b: 'on' }, null]);
});
