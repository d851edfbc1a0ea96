import { StringFormat } from '../validate/check';
import { DNS1123_SUBDOMAIN_NAME } from '../validate/formats';

/** Pods get `<replicaset>-<5 chars>` names, truncated to 58 characters before the suffix: longer bases lose their end. */
export const MAX_SIGNAL_DEPLOYMENT_NAME = 46;

/** A Deployment name a signal query can select the pods of by name. */
export const SIGNAL_DEPLOYMENT_NAME: StringFormat = {
  description: `a Deployment name (DNS-1123 subdomain) of at most ${MAX_SIGNAL_DEPLOYMENT_NAME} characters`,
  test: v => DNS1123_SUBDOMAIN_NAME.test(v) ?? (v.length > MAX_SIGNAL_DEPLOYMENT_NAME
    ? `is longer than ${MAX_SIGNAL_DEPLOYMENT_NAME} characters: pod names are cut to 58 characters before their random suffix, so a query could not tell this Deployment's pods by name`
    : undefined),
  fix: () => `use the Deployment's name, at most ${MAX_SIGNAL_DEPLOYMENT_NAME} characters`,
};

/** What a signal reads: the series, its narrowing labels and how a pod's series combine. */
export interface SignalSeries {
  readonly series: string;
  readonly selector?: { [label: string]: string };
  readonly podAggregation: 'sum' | 'avg';
  /** Labels that carry the pod and its namespace on the series. */
  readonly podLabel: string;
  readonly namespaceLabel: string;
}

/**
 * A regular expression (RE2, for PromQL `pod=~`) matching the pod names of a workload: a Deployment's
 * pods are `<name>-<template hash>-<suffix>`, a StatefulSet's `<name>-<ordinal>`. The name is a DNS-1123
 * name: "." is the only regex metacharacter it may hold.
 */
export function podPatternOf(kind: string, name: string): string {
  const escaped = name.replace(/\./g, '[.]');
  return kind === 'StatefulSet' ? `${escaped}-[0-9]+` : `${escaped}-[a-z0-9]+-[a-z0-9]+`;
}

/**
 * The PromQL of a KEDA signal: the series summed over exactly one Deployment's pods,
 * `sum(series{namespace="ns",pod=~"name-[a-z0-9]+-[a-z0-9]+"})`, or the sum of per-pod averages
 * (`sum(avg by (pod) (...))`) for values a pod reports per GPU or engine. With KEDA's AverageValue
 * target, the replica count becomes ceil(sum / target): the HPA's rule for a per-pod average.
 */
export function signalQuery(s: SignalSeries, namespace: string, deploymentName: string): string {
  const podPattern = podPatternOf('Deployment', deploymentName);
  const matchers = [`${s.namespaceLabel}="${namespace}"`, `${s.podLabel}=~"${podPattern}"`];
  for (const [k, v] of Object.entries(s.selector ?? {})) matchers.push(`${k}=${JSON.stringify(v)}`);
  const selected = `${s.series}{${matchers.join(',')}}`;
  return s.podAggregation === 'sum' ? `sum(${selected})` : `sum(avg by (${s.podLabel}) (${selected}))`;
}
