// Synth warnings are asserted through `Warnings.of(...)` in tests; keep them off the test log.
process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';
