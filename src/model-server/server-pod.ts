import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ModelServer } from './model-server';
import { checkServerFlags } from './server-flags';
import { MODEL_SERVER, SERVER_METRICS } from '../annotations';
import { propError } from '../errors';

const PROMETHEUS_SCRAPE = 'prometheus.io/scrape';
const PROMETHEUS_PORT = 'prometheus.io/port';
const PROMETHEUS_PATH = 'prometheus.io/path';

/** The props of a workload that runs a (model) server. */
export interface ServerPodProps {
  readonly modelServer?: ModelServer;
  readonly httpPort?: number;
  readonly metricsPort?: number;
  readonly metricsPath?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { [name: string]: string };
}

/** The pod pieces that follow from the server: ports, scrape and model-server annotations. */
export interface ServerPodParts {
  readonly httpPort: number;
  /** A separate metrics port (container port `metrics`). */
  readonly metricsPort?: number;
  /** Name of the container port metrics are scraped on, if any. */
  readonly scrapePortName?: string;
  readonly metricsPath: string;
  readonly ports: k8s.ContainerPort[];
  readonly annotations: { [key: string]: string };
  /** Annotation -> the prop that sets it. */
  readonly annotationProps: { [key: string]: string };
  readonly probeDefaults: { readinessPath?: string; livenessPath?: string };
}

/**
 * Ports, scrape annotations (`prometheus.io/*`) and model-server annotations of a server's pod: the
 * server's ports unless the props set them, its metrics endpoint (a separate `metrics` port, or the
 * `http` port for servers that serve metrics there), and its command line checked against the preset.
 */
export function serverPodParts(scope: IConstruct, props: ServerPodProps): ServerPodParts {
  const server = props.modelServer;
  const httpPort = props.httpPort ?? server?.httpPort ?? 8080;
  if (props.metricsPath !== undefined && props.metricsPort === undefined && server === undefined) {
    throw propError(scope, 'metricsPath', props.metricsPath, 'is only announced together with metricsPort or modelServer, neither of which is set',
      'set metricsPort (e.g. 8000), or remove metricsPath');
  }
  if (!(props.metricsPort === undefined || props.metricsPort !== httpPort)) {
    throw propError(scope, 'metricsPort', props.metricsPort,
      'is the same as httpPort', server ? 'leave metricsPort out: metrics are then scraped on the http port' : 'serve metrics on a separate port (the article uses 8000)');
  }
  // a separate metrics port: given, or the server's own (Triton 8002); a server without one serves metrics on its http port
  const metricsPort = props.metricsPort ?? server?.metricsPort;
  const scrapePort = metricsPort ?? (server ? httpPort : undefined);
  const metricsPath = props.metricsPath ?? server?.metricsPath ?? '/metrics';
  if (server) checkServerFlags(scope, server, props, httpPort, metricsPort);

  const ports: k8s.ContainerPort[] = [{ containerPort: httpPort, name: 'http' }];
  if (metricsPort !== undefined) ports.push({ containerPort: metricsPort, name: 'metrics' });
  const annotations: { [key: string]: string } = {};
  const annotationProps: { [key: string]: string } = {};
  if (scrapePort !== undefined) {
    const by = props.metricsPort !== undefined || !server ? 'metricsPort' : 'modelServer';
    annotations[PROMETHEUS_SCRAPE] = 'true';
    annotations[PROMETHEUS_PORT] = String(scrapePort);
    annotations[PROMETHEUS_PATH] = metricsPath;
    Object.assign(annotationProps, { [PROMETHEUS_SCRAPE]: by, [PROMETHEUS_PORT]: by, [PROMETHEUS_PATH]: 'metricsPath' });
  }
  if (server) {
    annotations[MODEL_SERVER] = server.name;
    annotations[SERVER_METRICS] = server._metricsAnnotation();
    Object.assign(annotationProps, { [MODEL_SERVER]: 'modelServer', [SERVER_METRICS]: 'modelServer' });
  }
  return {
    httpPort,
    metricsPort,
    scrapePortName: scrapePort === undefined ? undefined : metricsPort !== undefined ? 'metrics' : 'http',
    metricsPath,
    ports,
    annotations,
    annotationProps,
    probeDefaults: server ? { readinessPath: server.readinessPath, livenessPath: server.livenessPath } : {},
  };
}
