/**
 * Validation of objects of kinds no npm model package covers (the KEDA HTTP add-on's http.keda.sh kinds)
 * against their CustomResourceDefinition, read from the shared CRDs (../shared/crds, which CI has too):
 * the OpenAPI v3 schema the API server applies (types, required fields, enums, ranges, lengths, formats
 * int32/int64), unknown fields (kubectl's default strict field validation rejects them), and the CRD's
 * `x-kubernetes-validations` rules. The CEL rules are evaluated for the forms the shared CRDs use
 * (`has(self.a) || has(self.b)`, `has(self.a) != has(self.b)`, `!(has(self.a) && has(self.b))`); any other
 * rule fails the validation, so a CRD update cannot silently skip a rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseYamlText } from '../src/guardrails/yaml-text';

/** `shared/crds/<name>` next to the repository (`../shared`), or next to a directory above it. */
function sharedCrdDir(name: string): string {
  for (let dir = path.resolve(__dirname, '..', '..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'crds', name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`the shared CRDs (shared/crds/${name}) are not next to the repository or above it`);
  }
}


interface Schema {
  readonly 'type'?: string;
  readonly 'properties'?: Record<string, Schema>;
  readonly 'additionalProperties'?: Schema | boolean;
  readonly 'items'?: Schema;
  readonly 'required'?: string[];
  readonly 'enum'?: unknown[];
  readonly 'minimum'?: number;
  readonly 'maximum'?: number;
  readonly 'minLength'?: number;
  readonly 'maxLength'?: number;
  readonly 'minItems'?: number;
  readonly 'maxItems'?: number;
  readonly 'format'?: string;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-validations'?: Array<{ rule: string; message?: string }>;
}

let schemas: Map<string, Schema> | undefined;

/** `apiVersion|kind` -> the version's openAPIV3Schema, for every shared CRD. */
function loadSchemas(): Map<string, Schema> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const dir of [sharedCrdDir('keda-http-add-on-0.15.0')]) {
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
      for (const crd of parseYamlText(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          schemas.set(`${crd.spec.group}/${v.name}|${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }
  return schemas;
}

/** Whether a CRD of the shared set defines this apiVersion and kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return loadSchemas().has(`${apiVersion}|${kind}`);
}

const has = (o: any, k: string) => o !== null && typeof o === 'object' && o[k] !== undefined;

function celHolds(rule: string, self: any): boolean {
  const trimmed = rule.trim();
  let m = /^has\(self\.(\w+)\)\s*\|\|\s*has\(self\.(\w+)\)$/.exec(trimmed);
  if (m) return has(self, m[1]) || has(self, m[2]);
  m = /^has\(self\.(\w+)\)\s*!=\s*has\(self\.(\w+)\)$/.exec(trimmed);
  if (m) return has(self, m[1]) !== has(self, m[2]);
  m = /^!\(has\(self\.(\w+)\)\s*&&\s*has\(self\.(\w+)\)\)$/.exec(trimmed);
  if (m) return !(has(self, m[1]) && has(self, m[2]));
  throw new Error(`test/crd-schema.ts cannot evaluate the CEL rule ${JSON.stringify(rule)}: teach it this form`);
}

function check(value: any, schema: Schema, at: string, errors: string[]): void {
  const t = schema.type;
  if (t === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${at}: must be an object`);
      return;
    }
    for (const r of schema.required ?? []) if (value[r] === undefined) errors.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(value)) {
      // ObjectMeta is the API server's own (the api-rules check names and labels), not the CRD's
      if (at === '' && k === 'metadata') continue;
      const sub = schema.properties?.[k];
      if (sub) {check(v, sub, `${at}.${k}`, errors);} else if (typeof schema.additionalProperties === 'object') {check(v, schema.additionalProperties, `${at}.${k}`, errors);} else if (!schema['x-kubernetes-preserve-unknown-fields'] && !(at === '' && ['apiVersion', 'kind', 'metadata'].includes(k))) {
        errors.push(`${at}.${k}: unknown field`);
      }
    }
  } else if (t === 'array') {
    if (!Array.isArray(value)) {
      errors.push(`${at}: must be an array`);
      return;
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    value.forEach((v, i) => schema.items && check(v, schema.items, `${at}[${i}]`, errors));
  } else if (t === 'string') {
    if (typeof value !== 'string') {
      errors.push(`${at}: must be a string`);
      return;
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
  } else if (t === 'integer' || t === 'number') {
    if (typeof value !== 'number' || (t === 'integer' && !Number.isInteger(value))) {
      errors.push(`${at}: must be ${t === 'integer' ? 'an integer' : 'a number'}`);
      return;
    }
    if (schema.format === 'int32' && (value < -(2 ** 31) || value > 2 ** 31 - 1)) errors.push(`${at}: not an int32`);
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  } else if (t === 'boolean' && typeof value !== 'boolean') {
    errors.push(`${at}: must be a boolean`);
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    if (!celHolds(v.rule, value)) errors.push(`${at}: ${v.message ?? v.rule}`);
  }
}

/** Validates one object of a shared CRD's kind; throws with every violation. */
export function validateCrdObject(obj: any): void {
  const schema = loadSchemas().get(`${obj.apiVersion}|${obj.kind}`);
  if (!schema) throw new Error(`no shared CRD defines ${obj.apiVersion} ${obj.kind}`);
  const errors: string[] = [];
  check(obj, schema, '', errors);
  if (errors.length > 0) {
    throw new Error(`${obj.kind} ${obj.metadata?.name} does not match its CRD:\n  ${errors.join('\n  ')}`);
  }
}
