import * as fs from 'fs';
import * as path from 'path';
import {
  NS, adapterConfigMap, batchScaledJob, cleanManifests, inferenceDeployment, inferenceHpa, inferencePdb,
  inferenceService, pick, ruleIds, workerDeployment, workerScaledObject,
} from './manifests';
import { GuardrailSeverity } from '../../src/guardrails/finding';
import { Guardrails } from '../../src/guardrails/guardrails';

/** Findings of one rule only. */
function run(objects: any[], ruleId: string, options = {}) {
  return Guardrails.check(objects, options).filter(f => f.ruleId === ruleId);
}

function deployment(objects: any[], name = 'inference') {
  return pick(objects, 'Deployment', name);
}

test('the clean platform passes every rule', () => {
  expect(Guardrails.check(cleanManifests(), { gpuBudget: 16 })).toEqual([]);
});

test('every rule has a unique stable ID whose prefix matches its severity', () => {
  const rules = Guardrails.rules();
  expect(new Set(rules.map(r => r.id)).size).toBe(rules.length);
  for (const r of rules) {
    expect(r.id).toMatch(r.severity === GuardrailSeverity.ERROR ? /^ML-E-[A-Z0-9-]+$/ : /^ML-W-[A-Z0-9-]+$/);
    expect(r.title.length).toBeGreaterThan(10);
    expect(r.rationale.length).toBeGreaterThan(10);
  }
});

describe('ML-E-TWO-AUTOSCALERS', () => {
  const ID = 'ML-E-TWO-AUTOSCALERS';
  function scaledObjectOnInference(extra: any = {}): any {
    return {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'inference-keda', namespace: NS, ...extra.metadata },
      spec: {
        scaleTargetRef: { name: 'inference' },
        minReplicaCount: 2,
        triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }],
        ...extra.spec,
      },
    };
  }

  test('flags an HPA and a ScaledObject on the same Deployment', () => {
    const objects = [...cleanManifests(), scaledObjectOnInference()];
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', kind: 'ScaledObject', name: 'inference-keda', namespace: NS });
    expect(findings[0].problem).toContain('HorizontalPodAutoscaler ml-workloads/inference');
    expect(findings[0].fix).toContain('scaledobject.keda.sh/transfer-hpa-ownership');
    expect(findings[0].confirm).toBe('kubectl get hpa,scaledobject -n ml-workloads -o wide');
  });

  test('flags two HPAs on the same Deployment', () => {
    const second = inferenceHpa();
    second.metadata.name = 'inference-2';
    expect(run([...cleanManifests(), second], ID).map(f => f.name)).toEqual(['inference-2']);
  });

  test('flags two ScaledObjects on the same Deployment (kind defaults to Deployment)', () => {
    const second = workerScaledObject();
    second.metadata.name = 'worker-2';
    second.spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' };
    expect(run([...cleanManifests(), second], ID).map(f => f.name)).toEqual(['worker-2']);
  });

  test('allows the adoption hand-over: transfer-hpa-ownership with the HPA\'s name', () => {
    const so = scaledObjectOnInference({
      metadata: { annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } },
      spec: { advanced: { horizontalPodAutoscalerConfig: { name: 'inference' } } },
    });
    expect(run([...cleanManifests(), so], ID)).toEqual([]);
  });

  test('flags a hand-over that names another HPA', () => {
    const so = scaledObjectOnInference({
      metadata: { annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } },
      spec: { advanced: { horizontalPodAutoscalerConfig: { name: 'something-else' } } },
    });
    const findings = run([...cleanManifests(), so], ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toContain('set it to "inference"');
  });

  test('does not match autoscalers across namespaces or names', () => {
    const other = inferenceHpa();
    other.metadata.namespace = 'other';
    const renamed = inferenceHpa();
    renamed.metadata.name = 'x';
    renamed.spec.scaleTargetRef.name = 'another';
    expect(run([...cleanManifests(), other, renamed], ID)).toEqual([]);
  });

  test('objects without a namespace share the same default namespace', () => {
    const a = inferenceHpa();
    delete a.metadata.namespace;
    const b = inferenceHpa();
    delete b.metadata.namespace;
    b.metadata.name = 'second';
    expect(run([a, b], ID).map(f => `${f.name} ${f.namespace}`)).toEqual(['second undefined']);
  });

  test('ignores the HPA KEDA generated for a ScaledObject (manifests dumped from a cluster)', () => {
    const generated = inferenceHpa();
    generated.metadata.name = 'keda-hpa-worker';
    generated.spec.scaleTargetRef.name = 'worker';
    generated.metadata.ownerReferences = [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'worker', uid: 'x' }];
    expect(run([...cleanManifests(), generated], ID)).toEqual([]);
  });
});

describe('ML-E-METRIC-WITHOUT-REQUEST', () => {
  const ID = 'ML-E-METRIC-WITHOUT-REQUEST';

  test('flags a cpu utilization metric when a container requests no cpu', () => {
    const objects = cleanManifests();
    delete deployment(objects).spec.template.spec.containers[0].resources.requests.cpu;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', name: 'inference', location: 'spec.metrics[0]' });
    expect(findings[0].problem).toContain('container model');
    expect(findings[0].confirm).toBe('kubectl describe hpa inference -n ml-workloads');
  });

  test('flags a KEDA memory trigger when the named container requests no memory', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.spec.minReplicaCount = 1;
    so.spec.triggers.push({ type: 'memory', metricType: 'Utilization', metadata: { value: '80', containerName: 'worker' } });
    delete deployment(objects, 'worker').spec.template.spec.containers[0].resources.requests.memory;
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.triggers[1]']);
  });

  test('passes when a limit (which defaults the request) or a LimitRange default is set', () => {
    const objects = cleanManifests();
    const c = deployment(objects).spec.template.spec.containers[0];
    delete c.resources.requests.cpu;
    c.resources.limits.cpu = '4';
    expect(run(objects, ID)).toEqual([]);

    const objects2 = cleanManifests();
    delete deployment(objects2).spec.template.spec.containers[0].resources.requests.cpu;
    objects2.push({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: NS },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '500m' } }] },
    });
    expect(run(objects2, ID)).toEqual([]);
  });

  test('passes an AverageValue cpu target without requests', () => {
    const objects = cleanManifests();
    delete deployment(objects).spec.template.spec.containers[0].resources.requests.cpu;
    pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.metrics[0].resource.target = { type: 'AverageValue', averageValue: '1500m' };
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-E-GPU-REQUEST-LIMIT-MISMATCH', () => {
  const ID = 'ML-E-GPU-REQUEST-LIMIT-MISMATCH';

  test('flags a GPU request different from its limit', () => {
    const objects = cleanManifests();
    deployment(objects).spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '2';
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'Deployment', name: 'inference', location: 'spec.template.spec.containers[0].resources' });
  });

  test('flags a GPU request without a limit, in any extended resource', () => {
    const objects = cleanManifests();
    const c = deployment(objects).spec.template.spec.containers[0];
    delete c.resources.limits['nvidia.com/gpu'];
    c.resources.requests['example.com/fpga'] = '1';
    expect(run(objects, ID)).toHaveLength(2);
  });

  test('passes equal quantities written differently, and limits alone', () => {
    const objects = cleanManifests();
    deployment(objects).spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
    expect(run(objects, ID)).toEqual([]);
    // the ScaledJob writes only the limit
    expect(batchScaledJob().spec.jobTargetRef.template.spec.containers[0].resources.requests).toBeUndefined();
  });
});

describe('ML-E-TRIGGER-METADATA-TYPE', () => {
  const ID = 'ML-E-TRIGGER-METADATA-TYPE';

  test('flags a cpu trigger with metadata.type', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.spec.triggers.push({ type: 'cpu', metadata: { type: 'Utilization', value: '60' } });
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'ScaledObject', name: 'worker', location: 'spec.triggers[1].metadata.type' });
    expect(findings[0].fix).toContain('metricType: Utilization');
  });

  test('passes a cpu trigger with the trigger-level metricType', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers.push({ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } });
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-E-CPU-MEMORY-SCALE-TO-ZERO', () => {
  const ID = 'ML-E-CPU-MEMORY-SCALE-TO-ZERO';

  test('flags only cpu/memory triggers with minReplicaCount 0, also when 0 is the default', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.spec.triggers = [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }];
    expect(run(objects, ID)).toHaveLength(1);
    delete so.spec.minReplicaCount;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('(default)');
  });

  test('passes with minReplicaCount 1 or an event trigger next to cpu', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.spec.triggers.push({ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } });
    expect(run(objects, ID)).toEqual([]);
    so.spec.triggers = [so.spec.triggers[1]];
    so.spec.minReplicaCount = 1;
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-E-CREDENTIALS-IN-MANIFEST', () => {
  const ID = 'ML-E-CREDENTIALS-IN-MANIFEST';

  test('flags a URI with user and password in trigger metadata, without echoing the secret', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers[0].metadata.host = 'amqp://user:s3cr3t@rabbitmq:5672/';
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'ScaledObject', name: 'worker', location: 'spec.triggers[0].metadata.host' });
    expect(findings[0].message).not.toContain('s3cr3t');
    expect(findings[0].fix).toContain('TriggerAuthentication');
  });

  test('flags password/token/apiKey literals in trigger metadata and env values', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers[0].metadata.password = 'hunter2';
    const env = deployment(objects, 'worker').spec.template.spec.containers[0].env;
    env.push({ name: 'OPENAI_API_KEY', value: 'abcdef123456' });
    env.push({ name: 'DATABASE_URL', value: 'postgres://app:pw@db:5432/app' });
    env.push({ name: 'STORAGE', value: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=xyz==;' });
    const locations = run(objects, ID).map(f => f.location).sort();
    expect(locations).toEqual([
      'spec.template.spec.containers[0].env[1].value',
      'spec.template.spec.containers[0].env[2].value',
      'spec.template.spec.containers[0].env[3].value',
      'spec.triggers[0].metadata.password',
    ]);
  });

  test('passes references: *FromEnv keys, secretKeyRef, $(VAR) expansion, file paths, flags', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers[0].metadata.hostFromEnv = 'RABBIT_HOST';
    const env = deployment(objects, 'worker').spec.template.spec.containers[0].env;
    env.push({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
    env.push({ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@db:5432/app' });
    env.push({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/secrets/google/key.json' });
    env.push({ name: 'USE_AUTH_TOKEN', value: 'true' });
    env.push({ name: 'TOKENIZERS_PARALLELISM', value: 'false' });
    env.push({ name: 'AMQP_URL', value: 'amqp://rabbitmq:5672' });
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-E-SCALEDOBJECT-NAME-TOO-LONG', () => {
  const ID = 'ML-E-SCALEDOBJECT-NAME-TOO-LONG';

  test('flags a name of 55 characters', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').metadata.name = 'w'.repeat(55);
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain(`keda-hpa-${'w'.repeat(55)}`);
  });

  test('passes 54 characters, or a long name with an explicit HPA name', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.metadata.name = 'w'.repeat(54);
    expect(run(objects, ID)).toEqual([]);
    so.metadata.name = 'w'.repeat(63);
    so.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'worker-hpa' } };
    expect(run(objects, ID)).toEqual([]);
  });

  test('flags a name past 63 characters even with an explicit HPA name (KEDA labels objects with it)', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    so.metadata.name = 'w'.repeat(64);
    so.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'worker-hpa' } };
    expect(run(objects, ID)[0].problem).toContain('label values stop at 63');
  });
});

describe('ML-E-MIN-ABOVE-MAX', () => {
  const ID = 'ML-E-MIN-ABOVE-MAX';

  test('flags min > max on an HPA, a ScaledObject and a ScaledJob', () => {
    const objects = cleanManifests();
    pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 7;
    pick(objects, 'ScaledObject', 'worker').spec.minReplicaCount = 21;
    pick(objects, 'ScaledJob', 'batch').spec.minReplicaCount = 5;
    expect(run(objects, ID).map(f => `${f.kind} ${f.location}`)).toEqual([
      'HorizontalPodAutoscaler spec.minReplicas',
      'ScaledObject spec.minReplicaCount',
      'ScaledJob spec.minReplicaCount',
    ]);
  });

  test('applies KEDA\'s default maximum of 100', () => {
    const objects = cleanManifests();
    const so = pick(objects, 'ScaledObject', 'worker');
    delete so.spec.maxReplicaCount;
    so.spec.minReplicaCount = 100;
    expect(run(objects, ID)).toEqual([]);
    so.spec.minReplicaCount = 101;
    expect(run(objects, ID)).toHaveLength(1);
  });
});

describe('ML-W-REPLICAS-ON-AUTOSCALED', () => {
  const ID = 'ML-W-REPLICAS-ON-AUTOSCALED';

  test('flags spec.replicas on an autoscaled Deployment', () => {
    const objects = cleanManifests();
    deployment(objects).spec.replicas = 2;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', kind: 'Deployment', name: 'inference', location: 'spec.replicas' });
  });

  test('passes spec.replicas on a Deployment nobody autoscales', () => {
    const objects = cleanManifests().filter(o => o.kind !== 'HorizontalPodAutoscaler');
    deployment(objects).spec.replicas = 2;
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-PDB-BLOCKS-DRAIN', () => {
  const ID = 'ML-W-PDB-BLOCKS-DRAIN';

  test('flags minAvailable equal to the HPA minimum (the article\'s PDB)', () => {
    const objects = cleanManifests();
    pick(objects, 'PodDisruptionBudget', 'inference').spec = { minAvailable: 2, selector: { matchLabels: { app: 'inference' } } };
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'PodDisruptionBudget', name: 'inference' });
    expect(findings[0].confirm).toContain('disruptionsAllowed');
  });

  test('flags maxUnavailable 0 and minAvailable 100%', () => {
    const objects = cleanManifests();
    const pdb = pick(objects, 'PodDisruptionBudget', 'inference');
    pdb.spec.maxUnavailable = 0;
    expect(run(objects, ID)).toHaveLength(1);
    pdb.spec = { minAvailable: '100%', selector: pdb.spec.selector };
    expect(run(objects, ID)).toHaveLength(1);
  });

  test('passes minAvailable below the minimum and PDBs selecting other pods', () => {
    const objects = cleanManifests();
    const pdb = pick(objects, 'PodDisruptionBudget', 'inference');
    pdb.spec = { minAvailable: 1, selector: { matchLabels: { app: 'inference' } } };
    expect(run(objects, ID)).toEqual([]);
    pdb.spec = { minAvailable: 5, selector: { matchLabels: { app: 'other' } } };
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-STARTUP-BUDGET-SHORT', () => {
  const ID = 'ML-W-STARTUP-BUDGET-SHORT';

  test('flags a startup probe that gives up before the model is loaded', () => {
    const objects = cleanManifests();
    deployment(objects).spec.template.spec.containers[0].startupProbe.failureThreshold = 6;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('60s');
    expect(findings[0].problem).toContain('120s');
  });

  test('flags a model-loading pod with neither startup nor readiness probe', () => {
    const objects = cleanManifests();
    const c = deployment(objects).spec.template.spec.containers[0];
    delete c.startupProbe;
    delete c.readinessProbe;
    delete c.livenessProbe;
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.template.spec.containers']);
  });

  test('passes a startup budget of exactly the model load time', () => {
    const objects = cleanManifests();
    deployment(objects).spec.template.spec.containers[0].startupProbe = { periodSeconds: 10, failureThreshold: 10, initialDelaySeconds: 20 };
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-LIVENESS-KILLS-LOADING-POD', () => {
  const ID = 'ML-W-LIVENESS-KILLS-LOADING-POD';

  test('flags a liveness probe without startup probe that fails before the load ends', () => {
    const objects = cleanManifests();
    const c = deployment(objects).spec.template.spec.containers[0];
    delete c.startupProbe;
    c.livenessProbe = { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 30, periodSeconds: 10 };
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('after 60s');
  });

  test('passes the article\'s liveness probe (120 s + 3 x 30 s) and any liveness behind a startup probe', () => {
    const objects = cleanManifests();
    const c = deployment(objects).spec.template.spec.containers[0];
    delete c.startupProbe;
    c.livenessProbe = { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 120, periodSeconds: 30 };
    expect(run(objects, ID)).toEqual([]);
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START', () => {
  const ID = 'ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START';

  test('flags the HPA default window (300 s) against a 10 minute model load', () => {
    const objects = cleanManifests();
    deployment(objects).spec.template.metadata.annotations['ml-autoscaling.io/model-load-seconds'] = '600';
    deployment(objects).spec.template.spec.containers[0].startupProbe.failureThreshold = 70;
    delete pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.behavior;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', location: 'spec.behavior.scaleDown.stabilizationWindowSeconds' });
  });

  test('flags a ScaledObject cooldown shorter than the cold start', () => {
    const objects = cleanManifests();
    deployment(objects, 'worker').spec.template.metadata.annotations['ml-autoscaling.io/model-load-seconds'] = '400';
    pick(objects, 'ScaledObject', 'worker').spec.advanced = {
      horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 400 } } },
    };
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.cooldownPeriod']);
  });

  test('passes a window at least as long as the model load', () => {
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('ML-W-KEDA-REMOVED-FIELD', () => {
  const ID = 'ML-W-KEDA-REMOVED-FIELD';

  test('flags prometheus metricName (the article\'s trigger)', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers.push({
      type: 'prometheus',
      metadata: { serverAddress: 'http://prometheus:9090', metricName: 'gpu_utilization', threshold: '70', query: 'avg(gpu_utilization)' },
    });
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.triggers[1].metadata.metricName']);
  });

  test('passes a prometheus trigger without metricName', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers.push({
      type: 'prometheus', name: 'gpu', metadata: { serverAddress: 'http://prometheus:9090', threshold: '70', query: 'avg(gpu_utilization)' },
    });
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-PAUSE-ANNOTATION-IGNORED', () => {
  const ID = 'ML-W-PAUSE-ANNOTATION-IGNORED';

  test('flags autoscaling.keda.sh/paused on a Deployment (the article\'s hybrid example)', () => {
    const objects = cleanManifests();
    deployment(objects, 'worker').metadata.annotations = { 'autoscaling.keda.sh/paused': 'true' };
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'Deployment', name: 'worker' });
  });

  test('flags paused-replicas on a ScaledJob', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledJob', 'batch').metadata.annotations = { 'autoscaling.keda.sh/paused-replicas': '0' };
    expect(run(objects, ID)).toHaveLength(1);
  });

  test('passes pause annotations on the ScaledObject and paused on the ScaledJob', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').metadata.annotations = {
      'autoscaling.keda.sh/paused': 'true', 'autoscaling.keda.sh/paused-replicas': '1', 'autoscaling.keda.sh/paused-scale-in': 'true',
    };
    pick(objects, 'ScaledJob', 'batch').metadata.annotations = { 'autoscaling.keda.sh/paused': 'true' };
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-SCALEDJOB-ROLLOUT-DELETES-JOBS', () => {
  const ID = 'ML-W-SCALEDJOB-ROLLOUT-DELETES-JOBS';

  test('flags a ScaledJob with the default rollout', () => {
    const objects = cleanManifests();
    delete pick(objects, 'ScaledJob', 'batch').spec.rollout;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('not set (default)');
  });

  test('passes rollout.strategy gradual (and the deprecated rolloutStrategy gradual, flagged as deprecated)', () => {
    expect(run(cleanManifests(), ID)).toEqual([]);
    const objects = cleanManifests();
    const sj = pick(objects, 'ScaledJob', 'batch');
    delete sj.spec.rollout;
    sj.spec.rolloutStrategy = 'gradual';
    expect(run(objects, ID)).toEqual([]);
    expect(run(objects, 'ML-W-KEDA-REMOVED-FIELD').map(f => f.location)).toEqual(['spec.rolloutStrategy']);
  });
});

describe('ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER', () => {
  const ID = 'ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER';

  function zeroInference(): any[] {
    const objects = cleanManifests().filter(o => !(o.kind === 'HorizontalPodAutoscaler'));
    objects.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'inference', namespace: NS },
      spec: {
        scaleTargetRef: { name: 'inference' },
        minReplicaCount: 0,
        cooldownPeriod: 600,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
        triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', threshold: '5', query: 'sum(rate(requests[1m]))' } }],
      },
    });
    return objects;
  }

  test('flags an HTTP service behind a Service that scales to zero', () => {
    const findings = run(zeroInference(), ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'ScaledObject', name: 'inference' });
    expect(findings[0].confirm).toBe('kubectl get endpoints inference -n ml-workloads');
  });

  test('passes with request buffering declared, or for a queue worker without Service', () => {
    const objects = zeroInference();
    deployment(objects).spec.template.metadata.annotations['ml-autoscaling.io/request-buffering'] = 'true';
    expect(run(objects, ID)).toEqual([]);
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE', () => {
  const ID = 'ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE';

  test('flags a Pods metric with no adapter rule', () => {
    const objects = cleanManifests().filter(o => o.kind !== 'ConfigMap');
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].confirm).toContain('kubectl get --raw "/apis/custom.metrics.k8s.io/v1beta1/namespaces/ml-workloads/pods/*/inference_queue_depth"');
  });

  test('flags an External metric when the adapter only has custom rules', () => {
    const objects = cleanManifests();
    pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.metrics.push({
      type: 'External', external: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } },
    });
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.metrics[2]']);
  });

  test('passes metrics served by templated or regex adapter rules', () => {
    const objects = cleanManifests();
    pick(objects, 'ConfigMap', 'prometheus-adapter').data['config.yaml'] = [
      'rules:',
      '- seriesQuery: \'inference_queue_depth_total{namespace!="",pod!=""}\'',
      '  name: {matches: "^(.*)_total$", as: "${1}"}',
      '  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
      'externalRules:',
      '- seriesQuery: \'{__name__=~"^requests_.*"}\'',
      '  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>})',
    ].join('\n');
    pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.metrics.push({
      type: 'External', external: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } },
    });
    expect(run(objects, ID)).toEqual([]);
  });

  test('an adapter ConfigMap written as JSON is read too', () => {
    const objects = cleanManifests();
    pick(objects, 'ConfigMap', 'prometheus-adapter').data['config.yaml'] = JSON.stringify({
      rules: [{ seriesQuery: 'inference_queue_depth{pod!=""}', name: { as: 'inference_queue_depth' } }],
    });
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-W-GPU-BUDGET-EXCEEDED', () => {
  const ID = 'ML-W-GPU-BUDGET-EXCEEDED';

  test('flags autoscalers whose maximum GPUs exceed the budget, naming each', () => {
    const findings = run(cleanManifests(), ID, { gpuBudget: 8 });
    expect(findings.map(f => `${f.kind} ${f.name}`)).toEqual(['HorizontalPodAutoscaler inference', 'ScaledJob batch']);
    expect(findings[0].problem).toContain('claims 6 GPUs');
    expect(findings[0].problem).toContain('10 GPUs, above the budget of 8');
  });

  test('counts ScaledJob parallelism and fixed-size GPU workloads', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledJob', 'batch').spec.jobTargetRef.parallelism = 2;
    const fixed = inferenceDeployment();
    fixed.metadata.name = 'fixed';
    fixed.spec.replicas = 3;
    objects.push(fixed);
    // 6 (HPA) + 4 x 2 (ScaledJob) + 3 (fixed) = 17
    expect(run(objects, ID, { gpuBudget: 16 })[0].problem).toContain('17 GPUs');
    expect(run(objects, ID, { gpuBudget: 17 })).toEqual([]);
  });

  test('does not run without a budget', () => {
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('ML-W-GPU-WITHOUT-PLACEMENT', () => {
  const ID = 'ML-W-GPU-WITHOUT-PLACEMENT';

  test('flags GPU pods without toleration and without node placement', () => {
    const objects = cleanManifests();
    delete deployment(objects).spec.template.spec.tolerations;
    delete deployment(objects).spec.template.spec.nodeSelector;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('no GPU toleration and no node placement');
  });

  test('flags a GPU pod with a toleration but no placement', () => {
    const objects = cleanManifests();
    delete deployment(objects).spec.template.spec.nodeSelector;
    expect(run(objects, ID)[0].problem).toContain('no node placement');
  });

  test('passes GPU pods with toleration and nodeSelector or nodeAffinity, and CPU pods', () => {
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('ML-W-GRACE-SHORTER-THAN-PROCESSING', () => {
  const ID = 'ML-W-GRACE-SHORTER-THAN-PROCESSING';

  test('flags the default 30 s grace period against a 5 minute work item', () => {
    const objects = cleanManifests();
    delete deployment(objects, 'worker').spec.template.spec.terminationGracePeriodSeconds;
    const findings = run(objects, ID);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('30 (default)');
    expect(findings[0].fix).toContain('at least 300');
  });

  test('passes a grace period at least as long as the processing time', () => {
    expect(run(cleanManifests(), ID)).toEqual([]);
  });
});

describe('findings', () => {
  test('name the object and carry problem, fix and a kubectl check in one line', () => {
    const objects = cleanManifests();
    deployment(objects).spec.replicas = 3;
    const [f] = Guardrails.check(objects);
    expect(f.message).toBe(
      'warning ML-W-REPLICAS-ON-AUTOSCALED Deployment ml-workloads/inference at spec.replicas: ' +
      `${f.problem}. Fix: ${f.fix}. Check: ${f.confirm}`);
    expect(f.confirm).toMatch(/^kubectl /);
    expect(f.message).not.toContain('\n');
  });

  test('errors come before warnings', () => {
    const objects = cleanManifests();
    deployment(objects).spec.replicas = 3;
    pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 9;
    expect(Guardrails.check(objects).map(f => f.severity)).toEqual(['error', 'warning']);
  });

  test('disabled rules do not run', () => {
    const objects = cleanManifests();
    deployment(objects).spec.replicas = 3;
    expect(Guardrails.check(objects, { disabledRules: ['ML-W-REPLICAS-ON-AUTOSCALED'] })).toEqual([]);
  });

  test('List objects are expanded', () => {
    const objects = cleanManifests();
    deployment(objects).spec.replicas = 3;
    const list = { apiVersion: 'v1', kind: 'List', items: objects };
    expect(ruleIds(Guardrails.check([list]))).toEqual(['ML-W-REPLICAS-ON-AUTOSCALED']);
  });

  test('entries that are not objects are refused, naming the entry (lint skips empty YAML documents itself)', () => {
    expect(() => Guardrails.check([{ kind: 'ConfigMap' }, null])).toThrow(
      '[Guardrails.check] objects[1]=null: must be an object (a Kubernetes manifest), got null');
    expect(() => Guardrails.check(['text'] as any)).toThrow('objects[0]="text": must be an object');
  });

  test('objects of any shape never throw', () => {
    const weird = [
      { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', spec: { metrics: 'nope', scaleTargetRef: { name: 'inference' } } },
      { kind: 'ScaledObject', apiVersion: 'keda.sh/v1alpha1', metadata: { name: 'x' }, spec: { triggers: [null, { type: 'cpu' }] } },
      { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'inference' }, spec: { template: { spec: { containers: [null, 3] } } } },
      { kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } },
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'config.yaml': 'rules: [ {seriesQuery: [' } },
    ];
    expect(() => Guardrails.check(weird, { gpuBudget: 0 })).not.toThrow();
    expect(Guardrails.check(weird).every(f => f.kind && f.name)).toBe(true);
  });

  test('the clean inputs are untouched by a check', () => {
    const objects = [
      inferenceDeployment(), inferenceService(), inferenceHpa(), inferencePdb(), adapterConfigMap(), workerDeployment(), workerScaledObject(),
    ];
    const before = JSON.stringify(objects);
    Guardrails.check(objects, { gpuBudget: 1 });
    expect(JSON.stringify(objects)).toBe(before);
  });
});

test('docs/rules.md documents every rule, under its severity, with fix, check and suppression', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf-8');
  const warningsAt = doc.indexOf('## Warnings');
  const documented = [...doc.matchAll(/^### (ML-[EW]-[A-Z0-9-]+):/gm)].map(m => m[1]);
  expect(documented.sort()).toEqual(Guardrails.rules().map(r => r.id).sort());
  for (const r of Guardrails.rules()) {
    const at = doc.indexOf(`### ${r.id}:`);
    expect(r.severity === GuardrailSeverity.ERROR ? at < warningsAt : at > warningsAt).toBe(true);
    const section = doc.slice(at, doc.indexOf('\n### ', at + 1) === -1 ? undefined : doc.indexOf('\n### ', at + 1));
    expect(section).toMatch(/\*\*Fix\*\*/);
    expect(section).toMatch(/\*\*Check\*\*: .*kubectl /);
  }
  expect(doc).toContain('## Suppressing a finding');
});

describe('ML-E-METRIC-WITHOUT-REQUEST defaults', () => {
  const ID = 'ML-E-METRIC-WITHOUT-REQUEST';

  test('an HPA without metrics scales on 80% cpu utilization, so it needs cpu requests', () => {
    const objects = cleanManifests();
    delete pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.metrics;
    expect(run(objects, ID)).toEqual([]);
    delete pick(objects, 'Deployment', 'inference').spec.template.spec.containers[0].resources.requests.cpu;
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.metrics']);
  });

  test('an autoscaling/v1 HPA needs cpu requests', () => {
    const objects = cleanManifests();
    const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
    hpa.apiVersion = 'autoscaling/v1';
    delete hpa.spec.metrics;
    hpa.spec.targetCPUUtilizationPercentage = 60;
    delete pick(objects, 'Deployment', 'inference').spec.template.spec.containers[0].resources.requests.cpu;
    expect(run(objects, ID).map(f => f.location)).toEqual(['spec.targetCPUUtilizationPercentage']);
  });
});

test('ML-E-CREDENTIALS-IN-MANIFEST flags literal tokens in a TriggerAuthentication, not its references', () => {
  const objects = cleanManifests();
  const auth = pick(objects, 'TriggerAuthentication', 'rabbitmq-auth');
  expect(run(objects, 'ML-E-CREDENTIALS-IN-MANIFEST')).toEqual([]);
  auth.spec.hashiCorpVault = { address: 'https://vault:8200', authentication: 'token', credential: { token: 's.AbCdEf123456' }, secrets: [] };
  expect(run(objects, 'ML-E-CREDENTIALS-IN-MANIFEST').map(f => f.location)).toEqual(['spec.hashiCorpVault.credential.token']);
});

describe('KEDA HTTP add-on (HTTPScaledObject)', () => {
  function httpScaledObject(extra: any = {}): any {
    return {
      apiVersion: 'http.keda.sh/v1alpha1',
      kind: 'HTTPScaledObject',
      metadata: { name: 'inference-http', namespace: NS },
      spec: {
        hosts: ['inference.example.com'],
        scaleTargetRef: { name: 'inference', kind: 'Deployment', apiVersion: 'apps/v1', service: 'inference', port: 80 },
        replicas: { min: 0, max: 6 },
        scaledownPeriod: 600,
        ...extra,
      },
    };
  }

  test('counts as the workload\'s autoscaler: conflicts with an HPA', () => {
    const findings = run([...cleanManifests(), httpScaledObject()], 'ML-E-TWO-AUTOSCALERS');
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toContain('HTTP add-on');
  });

  test('buffers requests: scaling to zero behind it is fine; its bounds are checked', () => {
    const objects = [...cleanManifests().filter(o => o.kind !== 'HorizontalPodAutoscaler'), httpScaledObject()];
    expect(Guardrails.check(objects)).toEqual([]);
    pick(objects, 'HTTPScaledObject', 'inference-http').spec.replicas = { min: 8, max: 6 };
    expect(run(objects, 'ML-E-MIN-ABOVE-MAX').map(f => f.location)).toEqual(['spec.replicas.min']);
  });

  test('its scaledownPeriod is compared with the model load time', () => {
    const objects = [...cleanManifests().filter(o => o.kind !== 'HorizontalPodAutoscaler'), httpScaledObject({ scaledownPeriod: 60 })];
    expect(run(objects, 'ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START').map(f => f.location)).toEqual(['spec.scaledownPeriod']);
  });
});

test('ML-E-MIN-ABOVE-MAX: an HPA without maxReplicas is reported as missing, not as "above 0"', () => {
  const objects = cleanManifests();
  delete pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas;
  const findings = run(objects, 'ML-E-MIN-ABOVE-MAX');
  expect(findings).toHaveLength(1);
  expect(findings[0].problem).toBe('maxReplicas is missing; the API server requires it');
});

test('ML-E-CREDENTIALS-IN-MANIFEST flags a URI with a password in container args, not $(VAR) references', () => {
  const objects = cleanManifests();
  const c = pick(objects, 'ScaledJob', 'batch').spec.jobTargetRef.template.spec.containers[0];
  c.command = ['receive', 'amqp://user:PASSWORD@rabbitmq.default.svc.cluster.local:5672', 'job'];
  expect(run(objects, 'ML-E-CREDENTIALS-IN-MANIFEST').map(f => f.location)).toEqual(['spec.jobTargetRef.template.spec.containers[0].command[1]']);
  c.command = ['receive', 'amqp://user:$(RABBIT_PASSWORD)@rabbitmq:5672', '--password-file', '/secrets/p'];
  expect(run(objects, 'ML-E-CREDENTIALS-IN-MANIFEST')).toEqual([]);
});

test('ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START: scale-down disabled never removes a loading pod', () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.behavior = { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } };
  expect(run(objects, 'ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START')).toEqual([]);
});
