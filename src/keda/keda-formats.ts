import { StringFormat } from '../validate/check';

/**
 * String formats of KEDA trigger and authentication settings (what KEDA's scalers, its admission
 * webhook and `scalingModifiers` formulas accept), for the `Shape`s of the KEDA entry points.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Trigger names: identifiers, so that a `scalingModifiers` formula (an expr-lang expression) can
 * refer to them (`queue-length` would read as `queue - length`).
 */
export const TRIGGER_NAME: StringFormat = {
  description: "a trigger name (letters, digits and '_', not starting with a digit, at most 63 characters)",
  test: v => (v.length > 63 ? `is ${v.length} characters long; a trigger name has at most 63`
    : IDENTIFIER.test(v) ? undefined
      : "is not a valid trigger name (letters, digits and '_', not starting with a digit: scalingModifiers formulas refer to triggers by name)"),
  fix: v => `use a name like "${v.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=[0-9])/, '_').slice(0, 63) || 'queue'}"`,
};

/** KEDA scaler types (`rabbitmq`, `aws-sqs-queue`, ...). */
export const SCALER_TYPE: StringFormat = {
  description: "a KEDA scaler type (lower-case letters, digits and '-', e.g. \"redis\")",
  test: v => (/^[a-z0-9][a-z0-9-]*$/.test(v) ? undefined : 'is not a KEDA scaler type (lower-case letters, digits and \'-\')'),
  fix: () => 'use a type from https://keda.sh/docs/latest/scalers/, e.g. "redis"',
};

/** Keys of trigger metadata and trigger parameters (`queueName`, `host`, `awsAccessKeyID`, ...). */
export const PARAMETER_NAME: StringFormat = {
  description: "a KEDA parameter name (letters, digits, '_', '-' and '.', starting with a letter)",
  test: v => (/^[A-Za-z][-A-Za-z0-9_.]*$/.test(v) ? undefined
    : "is not a KEDA parameter name (letters, digits, '_', '-' and '.', starting with a letter)"),
};

/** http(s) URLs (Prometheus server address, Vault address, authority hosts). */
export const HTTP_URL: StringFormat = {
  description: 'an http(s) URL (e.g. "http://prometheus-server.monitoring.svc.cluster.local:9090")',
  test: v => (/^https?:\/\/[^\s/?#]+\S*$/.test(v) ? undefined : 'must be an http(s) URL (http:// or https://, a host, no whitespace)'),
};

/** AWS regions (`us-east-1`, `eu-west-1`, `us-gov-west-1`, `cn-north-1`). */
export const AWS_REGION: StringFormat = {
  description: 'an AWS region (e.g. "us-east-1")',
  test: v => (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v) ? undefined : 'is not an AWS region (like "us-east-1")'),
};

/** SQS queue URLs (`https://sqs.<region>.amazonaws.com/<account>/<queue>`, or a compatible http(s) endpoint). */
export const SQS_QUEUE_URL: StringFormat = {
  description: 'an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)',
  test: v => (/^https?:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+$/.test(v) ? undefined
    : 'is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)'),
  fix: () => 'use https://sqs.<region>.amazonaws.com/<account>/<queue>',
};

/** IAM role ARNs. */
export const IAM_ROLE_ARN: StringFormat = {
  description: 'an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
  test: v => (/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(v) ? undefined : 'is not an IAM role ARN'),
  fix: () => 'use arn:aws:iam::<12-digit account>:role/<name>',
};

/** One Kafka bootstrap server (`host:port`): the list is rendered comma-separated. */
export const BOOTSTRAP_SERVER: StringFormat = {
  description: 'a Kafka bootstrap server "host:port" (no commas or whitespace)',
  test: v => (/^[^\s,]+$/.test(v) ? undefined
    : 'is not one bootstrap server (it contains a comma or whitespace; give each server as its own array entry)'),
  fix: v => `split it into array entries: ${JSON.stringify(v.split(/[\s,]+/).filter(s => s.length > 0))}`,
};

/** Strings without whitespace (identity and client IDs, Vault roles and mounts). */
export const NO_WHITESPACE: StringFormat = {
  description: 'a string without whitespace',
  test: v => (/^\S+$/.test(v) ? undefined : 'contains whitespace'),
};

/** Strings that are not only whitespace (queue names, consumer groups, queries). */
export const NOT_BLANK: StringFormat = {
  description: 'a non-blank string',
  test: v => (v.trim().length > 0 ? undefined : 'is only whitespace'),
};
