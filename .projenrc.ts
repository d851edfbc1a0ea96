import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-ml-autoscaling',
  description: 'Typed cdk8s constructs for autoscaling AI/ML workloads on Kubernetes: GPU inference behind autoscaling/v2, KEDA queue workers that scale to zero, hybrids, guardrails and an offline scaling simulator.',
  author: 'cdk8s-ml-autoscaling maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-be076dc1.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-ml-autoscaling.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'autoscaling', 'keda', 'hpa', 'gpu', 'machine-learning'],

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  // ts-jest, ts-node and eslint use the project's TypeScript; jsii brings its own.
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,
  docgen: true,
  sampleCode: false,

  // No runtime dependencies besides the peers: installing the package into a cdk8s app adds
  // nothing else (test/package/).
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    '@types/node@^20',
    'kubernetes-models@^4.5.0',
    '@kubernetes-models/keda@^0.4.2',
    // Schema of the ServiceMonitor the tests validate MetricsServiceMonitor's output against (the
    // library renders it from a small typed interface, src/guardrails/service-monitor-api.ts).
    // 4.4.2 is the newest that runs on Node 20 (later versions require Node 22).
    '@kubernetes-models/prometheus-operator@4.4.2',
    'fast-check@^3.21.0',
    'cdk8s-cli@^2',
    // Prometheus' own PromQL grammar (maintained in the Prometheus repository) and its lezer runtime,
    // bundled by esbuild into vendor/lezer-promql.ts (task vendor:promql): the package ships that
    // one file and no runtime dependency (issue 12), and a test keeps it equal to these versions.
    '@prometheus-io/lezer-promql@0.315.0',
    '@lezer/lr@1.4.13',
    '@lezer/common@1.5.7',
    '@lezer/highlight@1.2.5',
    'esbuild@0.28.2',
    // Types of Grafana's dashboard schema, for the tests of the generated dashboards.
    '@grafana/schema@13.2.3',
  ],
  bin: { 'cdk8s-ml-autoscaling': 'bin/cdk8s-ml-autoscaling' },

  // jsii compiles only under rootDir: `imports/` (generated KEDA bindings) lives at the top level, as the
  // cdk8s convention and `cdk8s.yaml` expect, so the root is '.' and the output mirrors it under lib/.
  srcdir: 'src',
  libdir: 'lib',
  entrypoint: 'lib/src/index.js',
  tsconfig: {
    // No source maps. Inline ones made every require read and scan them (about a third of the package
    // load time added to cdk8s-plus-28's, issue 7); separate .js.map files would point at TypeScript
    // sources the package does not ship (src/, imports/keda.sh.ts). Shipping those sources instead
    // would add about 150 KB compressed (over 1.8 MB unpacked with the 1 MB KEDA bindings) for stack
    // traces only, and the emitted ES2022 JavaScript already reads close to the TypeScript.
    compilerOptions: { rootDir: '.', inlineSources: false, inlineSourceMap: false, sourceMap: false },
    include: ['imports/**/*.ts', 'vendor/**/*.ts'],
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    // Source maps for ts-jest and ts-node (stack traces with the TypeScript line numbers); the
    // package's own build (tsconfig.json) emits none.
    compilerOptions: { isolatedModules: false, sourceMap: true },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'imports/**/*.ts', 'vendor/**/*.ts', 'bench/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench'],
    tsconfigPath: './tsconfig.dev.json',
    ignorePatterns: ['imports/**', 'vendor/**', 'lib/**', 'dist/**', '*.d.ts', '*.js'],
  },
  gitignore: ['/dist/', '/test-reports/', '/bench-results/', '/.ci-out/'],
  npmIgnoreOptions: {
    ignorePatterns: [
      '/examples/', '/bench/', '/.ci/', '/docs/',
      // local outputs of the bench and of .ci/run
      '/bench-results/', '/.ci-out/',
      // The generated KEDA bindings ship compiled (lib/imports/); their TypeScript source is 1 MB.
      '/imports/',
      // The bundled PromQL parser ships compiled (lib/vendor/); its source is the same code.
      '/vendor/',
      // Repository tooling, of no use to a consumer: the benchmark record and the examples app's CLI config.
      '/BENCHMARKS.md', '/cdk8s.yaml',
    ],
  },
});

// Lint every TypeScript file with the dev tsconfig (which includes test/, examples/ and bench/).
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', './tsconfig.dev.json');

// package.json "types" must follow the entrypoint under lib/src.
project.package.addField('types', 'lib/src/index.d.ts');

// No source maps in the package (see tsconfig above), not even stale ones left in lib/ by an earlier
// build. (Added here, not in npmIgnoreOptions: projen's own `!/lib/` drops every /lib/... pattern
// listed before it.)
project.npmignore!.exclude('/lib/**/*.js.map');
// The generated bindings' type declarations (over 800 KB, 95 KB compressed): the bindings are internal
// (their classes are loaded at run time, their types used inside src/ only), and no declaration the
// public API reaches from lib/src/index.d.ts imports them (test/package/package.test.ts checks it).
project.npmignore!.exclude('/lib/imports/**/*.d.ts');
// Likewise the bundled PromQL parser's (loaded with require inside src/promql/ only).
project.npmignore!.exclude('/lib/vendor/**/*.d.ts');

// The released version. projen writes "0.0.0" unless a release workflow bumps it (release: false
// here), so it is set explicitly; the docs pin this version (test/package/version-pins.test.ts) and
// `cdk8s-ml-autoscaling --version` prints it.
project.package.addVersion('0.1.0');

// Type-check tests: ts-jest reports type errors only when isolatedModules is off.
project.jest!.config.transform = {
  '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: { ignoreCodes: [151002] } }],
};

// The main job: synthesize the examples app into dist/k8s (cdk8s.yaml names the app and output).
project.addTask('synth', {
  description: 'Synthesize the examples app into dist/k8s/*.k8s.yaml',
  exec: 'cdk8s synth --no-check-upgrade',
});

project.addTask('import:keda', {
  description: 'Regenerate imports/ from the KEDA CRDs named in cdk8s.yaml',
  exec: 'cdk8s import --no-check-upgrade -l typescript -o imports',
});

project.addTask('vendor:promql', {
  description: 'Regenerate vendor/lezer-promql.ts from the pinned @prometheus-io/lezer-promql devDependency',
  exec: 'ts-node -P tsconfig.dev.json projenrc/vendor-promql.ts',
});

project.addTask('bench', {
  description: 'Run the benchmarks and write BENCHMARKS.md (not part of the tests)',
  exec: 'ts-node -P tsconfig.dev.json bench/run.ts',
});

// Declarations of internal modules stay out of the package (projenrc/prune-declarations.ts): part of
// `compile` itself, which CI, the package tests and a release run (post-compile runs only in `build`).
project.compileTask.exec('ts-node -P tsconfig.dev.json projenrc/prune-declarations.ts');

project.tasks.tryFind('test')?.reset();
project.tasks.tryFind('test')?.exec('jest --ci', { receiveArgs: true });
project.tasks.tryFind('test')?.spawn(project.tasks.tryFind('eslint')!);

project.addFields({ engines: { node: '>= 20.0.0' } });
project.synth();
