import { ColdStartFallback, ColdStartPlaceholder, RequestBufferingOptions } from './request-buffering';
import { arrayOf, integer, mapOf, optional, string, struct } from '../validate/check';
import { DNS1035_LABEL_NAME, DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, HTTP_PATH } from '../validate/formats';
import { duration } from '../validate/values';
import { PORT } from '../workload/probes-check';

/** A host the interceptor matches: a DNS name, `*`, or `*.` and a DNS name. */
const HOST = string({
  format: {
    description: 'a host name, "*", or "*." and a domain',
    test: v => (v === '*' || DNS1123_SUBDOMAIN_NAME.test(v.startsWith('*.') ? v.slice(2) : v) === undefined ? undefined : 'is not a host name'),
    fix: () => 'use a host name such as "llm.example.com", "*.example.com" or "*"',
  },
});

const PLACEHOLDER = struct<ColdStartPlaceholder>('ColdStartPlaceholder', {
  statusCode: optional(integer({ min: 100, max: 599, fix: 'use an HTTP status code, e.g. 503' })),
  body: optional(string({ minLength: 0, maxLength: 32768 })),
  headers: optional(mapOf(string({
    format: {
      description: 'an HTTP header name',
      test: v => (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(v) ? undefined : 'is not an HTTP header name'),
      fix: () => 'use a header name such as "Retry-After"',
    },
  }), string({ minLength: 0 }))),
});

const FALLBACK = struct<ColdStartFallback>('ColdStartFallback', {
  serviceName: string({ format: DNS1035_LABEL_NAME }),
  port: PORT,
});

/** The checks of `RequestBufferingOptions`. */
export const REQUEST_BUFFERING_OPTIONS = struct<RequestBufferingOptions>('RequestBufferingOptions', {
  hosts: arrayOf(HOST, { minLength: 1 }),
  pathPrefixes: optional(arrayOf(string({ format: HTTP_PATH }), { minLength: 1 })),
  concurrencyPerReplica: integer({ min: 1, fix: 'set concurrencyPerReplica to the requests one replica serves at once, e.g. 8' }),
  holdTimeout: optional(duration({ minSeconds: 1 })),
  requestTimeout: optional(duration({ minSeconds: 1 })),
  placeholder: optional(PLACEHOLDER),
  fallback: optional(FALLBACK),
  addOnNamespace: optional(string({ format: DNS1123_LABEL_NAME })),
  routeName: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
});
