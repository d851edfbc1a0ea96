import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as engine from '../../src/guardrails/engine';
import { Guardrails } from '../../src/guardrails/guardrails';

function hpa(chart: Chart, id: string, target: string) {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: id.toLowerCase() },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 3, metrics: [] },
  });
}

function appWithCharts(charts: number): App {
  const app = Testing.app();
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `c${i}`);
    Guardrails.enforce(chart);
    new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } });
  }
  return app;
}

describe('guardrails at synth run in every validation pass cdk8s makes', () => {
  afterEach(() => jest.restoreAllMocks());

  test('app.synthYaml() with 5 charts checks each chart in each of cdk8s\' 6 validation passes', () => {
    const spy = jest.spyOn(engine, 'runRules');
    appWithCharts(5).synthYaml();
    // cdk8s validates the app once, then again inside every chart.toJson(): 1 + 5 passes, 5 charts each
    expect(spy).toHaveBeenCalledTimes(30);
  });

  test('Testing.synth(chart) and chart.toJson() still check every time', () => {
    const app = appWithCharts(2);
    const spy = jest.spyOn(engine, 'runRules');
    Testing.synth(app.node.findChild('c0') as Chart);
    (app.node.findChild('c1') as Chart).toJson();
    expect(spy).toHaveBeenCalledTimes(4); // each toJson validates the whole app (2 charts)
  });

  test('an error still fails app.synthYaml()', () => {
    const app = appWithCharts(3);
    const chart = app.node.findChild('c1') as Chart;
    hpa(chart, 'A', 'web');
    hpa(chart, 'B', 'web');
    expect(() => app.synthYaml()).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });

  test('a conflict added after a first synth is found by the next one', () => {
    const app = appWithCharts(1);
    const chart = app.node.findChild('c0') as Chart;
    hpa(chart, 'A', 'web');
    expect(() => app.synthYaml()).not.toThrow();
    hpa(chart, 'B', 'web');
    expect(() => app.synthYaml()).toThrow(/ML-E-TWO-AUTOSCALERS/);
    expect(() => Testing.synth(chart)).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });
});
