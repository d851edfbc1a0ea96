/**
 * Internal: the ordered list of every rule (errors first). The engine and docs/rules.md follow this order.
 */
import { customMetricWithoutAdapterRule } from './adapter-rule';
import {
  minAboveMax, pdbBlocksDrain, replicasOnAutoscaled, scaleDownShorterThanColdStart, scaledObjectNameTooLong,
  twoAutoscalers,
} from './autoscaler-rules';
import { credentialsInManifest } from './credentials-rule';
import { duplicateObject } from './duplicate-rule';
import {
  kedaRemovedField, pauseAnnotationIgnored, resourceTriggersScaleToZero, scaledJobRolloutDeletesJobs,
  triggerMetadataType,
} from './keda-rules';
import { hpaZeroGateOff, hpaZeroWithoutExternalMetric, invalidTolerance, toleranceDropped } from './kubernetes-version-rules';
import {
  graceShorterThanProcessing, livenessKillsLoadingPod, scaleToZeroWithoutBuffer, startupBudgetShort,
} from './lifecycle-rules';
import { llmScaledOnUtilization, serverMetricNotExported } from './model-server-rules';
import { promqlSyntax } from './promql-rules';
import { holdTimeoutShort, routeBypassesInterceptor } from './request-holding-rules';
import { gpuBudgetExceeded, gpuRequestLimitMismatch, gpuWithoutPlacement, metricWithoutRequest } from './resource-rules';
import { activationAboveThreshold, queueTargetZero, serverSignalCannotWake } from './server-signal-rules';
import { Rule } from '../rule';

export const ALL_RULES: readonly Rule[] = [
  // errors
  duplicateObject,
  twoAutoscalers,
  metricWithoutRequest,
  gpuRequestLimitMismatch,
  triggerMetadataType,
  resourceTriggersScaleToZero,
  credentialsInManifest,
  scaledObjectNameTooLong,
  minAboveMax,
  hpaZeroGateOff,
  hpaZeroWithoutExternalMetric,
  invalidTolerance,
  queueTargetZero,
  activationAboveThreshold,
  serverSignalCannotWake,
  holdTimeoutShort,
  promqlSyntax,
  // warnings
  replicasOnAutoscaled,
  pdbBlocksDrain,
  startupBudgetShort,
  livenessKillsLoadingPod,
  scaleDownShorterThanColdStart,
  kedaRemovedField,
  pauseAnnotationIgnored,
  scaledJobRolloutDeletesJobs,
  scaleToZeroWithoutBuffer,
  customMetricWithoutAdapterRule,
  gpuBudgetExceeded,
  gpuWithoutPlacement,
  graceShorterThanProcessing,
  toleranceDropped,
  llmScaledOnUtilization,
  serverMetricNotExported,
  routeBypassesInterceptor,
];
