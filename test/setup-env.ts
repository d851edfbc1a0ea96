import { Testing } from 'cdk8s';
import { validateAll } from './validate';
import { KubernetesTarget } from '../src';

// Synth warnings are asserted through `Warnings.of(...)` in tests; keep them off the test log.
process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

// Every object synthesized by any test through Testing.synth is checked against the schemas and the
// API server's and KEDA's output rules (test/validate.ts, test/api-rules/) of the chart's target
// Kubernetes version (KubernetesTarget.of(chart)), not only where a test asks for it.
const synth = Testing.synth.bind(Testing);
Testing.synth = (chart) => validateAll(synth(chart), KubernetesTarget.of(chart));
