/**
 * Static checks of the distributed-mode packaging (docs/architecture.md "Runtime modes"): Dockerfile,
 * .dockerignore, docker-compose.yml and the Kubernetes manifests under deploy/. No Docker engine or
 * cluster is needed; every rule here is one a reviewer would otherwise check by eye.
 *
 * The list of apps comes from the repository (apps/<app>/src/main.ts), and each app's port and
 * required settings from its own apps/<app>/src/config.ts, so a new app or a new secret that is
 * not wired into the packaging fails here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { analyseConfigSource, isSecretName } from './config-source';
import type { AppConfigFacts } from './config-source';
import { parseDockerfile, stageChain } from './dockerfile';
import type { DockerStage } from './dockerfile';
import { resolveKustomization } from './kustomize';
import type { K8sObject } from './kustomize';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), 'utf8');

const APPS = fs
  .readdirSync(path.join(ROOT, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, 'apps', entry.name, 'src', 'main.ts')))
  .map((entry) => entry.name)
  .sort();

const CONFIG: Record<string, AppConfigFacts> = Object.fromEntries(
  APPS.map((app) => [app, analyseConfigSource(read(`apps/${app}/src/config.ts`))]),
);

const README = read('deploy/README.md');

// ---------------------------------------------------------------------------------------------
// Small typed accessors over parsed YAML (it is `unknown` until checked).
type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const dict = (value: unknown, what: string): Dict => {
  if (!isDict(value)) throw new Error(`${what} is not a mapping`);
  return value;
};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((current, key) => (isDict(current) ? current[key] : undefined), value);

// ---------------------------------------------------------------------------------------------
describe('the apps under test', () => {
  it('are the four services, each with its own default port', () => {
    expect(APPS).toEqual(['auth-service', 'hcx-gateway', 'payment-service', 'session-service']);
    expect(Object.fromEntries(APPS.map((app) => [app, CONFIG[app].defaultPort]))).toEqual({
      'auth-service': 3001,
      'session-service': 3002,
      'payment-service': 3003,
      'hcx-gateway': 3004,
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('Dockerfile', () => {
  const dockerfile = parseDockerfile(read('Dockerfile'));
  const stages = dockerfile.stages;
  const finalStage = stages[stages.length - 1];

  /** The stage `docker build --build-arg APP=<app>` ends in: the final FROM with APP substituted. */
  const finalChainFor = (app: string): DockerStage[] => stageChain(stages, finalStage, { APP: app });

  it('is multi-stage, with a build stage separate from the runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.some((stage) => stage.instructions.some((i) => i.keyword === 'RUN' && /npm run build/.test(i.args)))).toBe(true);
    for (const app of APPS) {
      const chain = finalChainFor(app);
      // The runtime image does not run the build and installs production dependencies only.
      expect(chain.flatMap((stage) => stage.instructions).some((i) => i.keyword === 'RUN' && /npm run build/.test(i.args))).toBe(false);
    }
    const prodInstall = stages.flatMap((stage) => stage.instructions).filter((i) => i.keyword === 'RUN' && /npm ci/.test(i.args));
    expect(prodInstall.some((i) => /--omit=dev/.test(i.args) && /--ignore-scripts/.test(i.args))).toBe(true);
  });

  it('pins every base image by a tag other than latest', () => {
    const stageNames = new Set(stages.map((stage) => stage.name).filter(Boolean));
    for (const stage of stages) {
      const image = stage.from;
      if (stageNames.has(image) || /^app-\$\{APP\}$/.test(image)) continue;
      expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[a-f0-9]{64})?$/);
      expect(image).not.toMatch(/:latest\b/);
      // Images run on the current Node.js LTS line (docs/adr/0005-node-versions.md).
      expect(image).toMatch(/^node:24-bookworm-slim/);
    }
    expect(read('Dockerfile')).not.toMatch(/:latest\b/);
  });

  it.each(APPS)('builds %s into a non-root, healthchecked image whose CMD exists in the build output', (app) => {
    const chain = finalChainFor(app);
    const instructions = chain.flatMap((stage) => stage.instructions);
    const last = (keyword: string) => [...instructions].reverse().find((i) => i.keyword === keyword);

    expect(chain.map((stage) => stage.name)).toContain(`app-${app}`);
    const user = last('USER');
    expect(user?.args).toBeDefined();
    expect(user?.args.split(':')[0]).toMatch(/^[1-9][0-9]*$/); // numeric and not 0: runAsNonRoot can verify it
    expect(user?.args.split(':')[0]).toBe('10001');

    const healthcheck = last('HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD \["node", "tools\/runtime\/healthcheck\.js", "\/health\/ready"\]/);
    expect(fs.existsSync(path.join(ROOT, 'tools/runtime/healthcheck.js'))).toBe(true);
    expect(last('STOPSIGNAL')?.args).toBe('SIGTERM');
    expect(instructions.some((i) => i.keyword === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(true);

    const cmd = JSON.parse(last('CMD')?.args ?? 'null') as string[];
    expect(cmd).toEqual(['node', '-r', './tools/runtime/register-paths.js', `dist/apps/${app}/src/main.js`]);
    // dist/ mirrors the repo tree (tsconfig.build.json rootDir "."): main.js comes from main.ts.
    expect(fs.existsSync(path.join(ROOT, cmd[3].replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, cmd[2]))).toBe(true);

    const port = String(CONFIG[app].defaultPort);
    expect(last('EXPOSE')?.args).toBe(port);
    expect(instructions.some((i) => i.keyword === 'ENV' && i.args === `PORT=${port}`)).toBe(true);
  });

  it('has no service stage for an app that does not exist', () => {
    for (const stage of stages) {
      const app = /^app-(.+)$/.exec(stage.name ?? '')?.[1];
      if (app) expect(APPS).toContain(app);
    }
  });

  it('ships the migrations where the compiled migrate.js looks for them', () => {
    // tools/db/migrate.ts: MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'prisma', 'migrations'),
    // so dist/tools/db/migrate.js reads dist/prisma/migrations.
    expect(read('tools/db/migrate.ts')).toContain("path.join(__dirname, '..', '..', 'prisma', 'migrations')");
    const copies = stages.flatMap((stage) => stage.instructions).filter((i) => i.keyword === 'COPY');
    expect(copies.some((i) => /\/prisma\/migrations\s+\.\/dist\/prisma\/migrations$/.test(i.args))).toBe(true);
    expect(copies.some((i) => /\/app\/dist\/tools\/db\s+\.\/dist\/tools\/db$/.test(i.args))).toBe(true);
    expect(copies.some((i) => /tsconfig\.base\.json/.test(i.args))).toBe(true);
  });

  const hadolint = spawnSync('hadolint', ['--version'], { encoding: 'utf8' });
  (hadolint.error ? it.skip : it)('passes hadolint (skipped when hadolint is not installed)', () => {
    const result = spawnSync('hadolint', ['--failure-threshold', 'warning', 'Dockerfile'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('.dockerignore', () => {
  it('keeps local state, build output and secrets out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const required of ['node_modules', 'dist', '.data', '.git', 'tmp', 'coverage', 'bench/results', '.env', '.env.*']) {
      expect(entries).toContain(required);
    }
    expect(entries.filter((line) => line.startsWith('!'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('docker-compose.yml', () => {
  const compose = dict(yaml.load(read('docker-compose.yml')), 'docker-compose.yml');
  const services = dict(compose.services, 'services');
  const service = (name: string) => dict(services[name], `service ${name}`);
  const environment = (name: string) => dict(service(name).environment ?? {}, `${name}.environment`);
  const envExample = read('deploy/.env.example');

  it('states its single-broker Kafka settings explicitly (plaintext on the private network, one replica)', () => {
    for (const app of APPS) {
      const env = environment(app);
      expect({ app, ssl: env.KAFKA_SSL, rf: env.KAFKA_REPLICATION_FACTOR, isr: env.KAFKA_MIN_INSYNC_REPLICAS }).toEqual({ app, ssl: 'false', rf: '1', isr: '1' });
    }
  });

  it('runs Kafka 3.9 in KRaft mode and PostgreSQL 16, both healthchecked', () => {
    const kafka = service('kafka');
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    const kafkaEnv = dict(kafka.environment, 'kafka.environment');
    expect(String(kafkaEnv.KAFKA_PROCESS_ROLES).split(',').sort()).toEqual(['broker', 'controller']);
    expect(kafkaEnv.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(/^1@kafka:9093$/);
    expect(kafkaEnv.KAFKA_ADVERTISED_LISTENERS).toContain('kafka:9092');
    expect(JSON.stringify(at(kafka, 'healthcheck', 'test'))).toContain('kafka-broker-api-versions.sh');

    const postgres = service('postgres');
    expect(postgres.image).toBe('postgres:16-alpine');
    expect(JSON.stringify(at(postgres, 'healthcheck', 'test'))).toContain('pg_isready');
  });

  it('migrates once, after PostgreSQL is healthy, with the service image', () => {
    const migrate = service('migrate');
    expect(migrate.command).toEqual(['node', '-r', './tools/runtime/register-paths.js', 'dist/tools/db/migrate.js']);
    expect(at(migrate, 'depends_on', 'postgres', 'condition')).toBe('service_healthy');
    expect(migrate.restart).toBe('no');
    expect(at(migrate, 'build', 'args', 'APP')).toBe('auth-service');
  });

  it.each(APPS)('runs %s built from the Dockerfile, hardened, after Kafka, PostgreSQL and the migration', (app) => {
    const svc = service(app);
    const port = CONFIG[app].defaultPort;
    expect(at(svc, 'build', 'context')).toBe('.');
    expect(at(svc, 'build', 'args', 'APP')).toBe(app);
    expect(at(svc, 'depends_on', 'kafka', 'condition')).toBe('service_healthy');
    expect(at(svc, 'depends_on', 'postgres', 'condition')).toBe('service_healthy');
    expect(at(svc, 'depends_on', 'migrate', 'condition')).toBe('service_completed_successfully');
    expect(JSON.stringify(at(svc, 'healthcheck', 'test'))).toContain('/health/ready');
    expect(list(svc.ports).map(String)).toEqual([`\${NPI_BIND_ADDRESS:-127.0.0.1}:${port}:${port}`]);
    expect(svc.read_only).toBe(true);
    expect(list(svc.tmpfs).some((entry) => String(entry).split(':')[0] === '/tmp')).toBe(true);
    expect(list(svc.security_opt)).toContain('no-new-privileges:true');
    expect(list(svc.cap_drop)).toContain('ALL');

    const env = environment(app);
    expect(String(env.PORT)).toBe(String(port));
    expect(env.BROKER).toBe('kafka');
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(String(env.DATABASE_URL)).toMatch(/^postgresql:\/\/npi:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/npi$/);
    if (app !== 'auth-service') {
      expect(env.AUTH_ISSUER).toBe('http://auth-service:3001');
      expect(env.AUTH_JWKS_URL).toBe('http://auth-service:3001/.well-known/jwks.json');
    }
  });

  it.each(APPS)('gives %s every setting its config requires, secrets only from .env or secret files', (app) => {
    const env = environment(app);
    const fileSecrets = new Set(list(service(app).secrets).map(String));
    for (const requirement of CONFIG[app].required) {
      const provided = requirement.filter((name) => env[name] !== undefined && env[name] !== '');
      expect({ app, requirement, provided: provided.length > 0 }).toEqual({ app, requirement, provided: true });
    }
    for (const [name, value] of Object.entries(env)) {
      if (name.endsWith('_FILE')) {
        const secret = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(String(value))?.[1];
        expect({ name, secret: secret !== undefined && fileSecrets.has(secret) }).toEqual({ name, secret: true });
        expect(at(compose, 'secrets', secret ?? '', 'file')).toEqual(expect.stringMatching(/^\$\{NPI_SECRETS_DIR:-\.\/\.data\/[^}]*\}\//));
      } else if (isSecretName(name, CONFIG[app].declaredSecrets)) {
        // Interpolated from the uncommitted .env (whole, or as the password inside DATABASE_URL),
        // refusing to start when unset: never a literal and never a default.
        expect({ name, value }).toEqual({ name, value: expect.stringMatching(/\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}/) });
        expect(String(value).replace(/\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}/g, '')).not.toMatch(/\$\{[A-Z][A-Z0-9_]*:-/);
        if (name !== 'DATABASE_URL') expect(value).toMatch(new RegExp(`^\\$\\{${name}:\\?[^}]*\\}$`));
      }
    }
  });

  it('documents every variable it interpolates in deploy/.env.example, which holds no real secret', () => {
    const raw = read('docker-compose.yml');
    const interpolated = new Set([...raw.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((match) => match[1]));
    expect(interpolated.size).toBeGreaterThan(0);
    for (const name of interpolated) expect({ name, documented: new RegExp(`^#?\\s*${name}=`, 'm').test(envExample) }).toEqual({ name, documented: true });
    for (const line of envExample.split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (match && isSecretName(match[1])) expect({ name: match[1], value: match[2] }).toEqual({ name: match[1], value: '' });
    }
  });

  it('can be brought up on a fresh checkout: init-dev-secrets.sh fills every empty secret and writes every key file', () => {
    const script = read('deploy/compose/init-dev-secrets.sh');
    for (const line of envExample.split('\n')) {
      const name = /^([A-Z][A-Z0-9_]*)=$/.exec(line)?.[1];
      if (name && isSecretName(name)) expect({ name, generated: script.includes(`${name}=`) }).toEqual({ name, generated: true });
    }
    const files = Object.values(dict(compose.secrets, 'secrets')).map((secret) => path.basename(String(at(secret, 'file')), '.pem'));
    expect(files.length).toBeGreaterThan(0);
    const generated = /for name in ([a-z0-9 -]+); do/.exec(script)?.[1].split(' ') ?? [];
    expect(generated.sort()).toEqual(files.sort());
  });
});

// ---------------------------------------------------------------------------------------------
describe('Kubernetes manifests (deploy/)', () => {
  const base = resolveKustomization(path.join(ROOT, 'deploy', 'base'));
  const production = resolveKustomization(path.join(ROOT, 'deploy', 'overlays', 'production'));
  const find = (kind: string, name: string) => base.objects.find((object) => object.kind === kind && object.metadata?.name === name);
  const must = (kind: string, name: string): K8sObject => {
    const object = find(kind, name);
    if (!object) throw new Error(`deploy/base has no ${kind} ${name}`);
    return object;
  };
  const configMapData = (name: string) => dict(must('ConfigMap', name).data ?? {}, `ConfigMap ${name} data`);
  const common = configMapData('npi-common');

  /** Every container-bearing workload in base: the four Deployments and the migration Job. */
  const workloads = base.objects.filter((object) => object.kind === 'Deployment' || object.kind === 'Job');

  it('lists only files that exist, in base and in the production overlay', () => {
    expect(base.missing).toEqual([]);
    expect(production.missing).toEqual([]);
    expect(base.files.length).toBeGreaterThan(1);
    expect(production.objects.length).toBeGreaterThan(base.objects.length);
  });

  it('has, for every app, a Deployment, Service, HPA, PDB, NetworkPolicy and ConfigMap', () => {
    for (const app of APPS) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
        expect({ app, kind, found: Boolean(find(kind, app)) }).toEqual({ app, kind, found: true });
      }
      expect(find('ConfigMap', `${app}-config`)).toBeDefined();
    }
    expect(must('Job', 'npi-migrate')).toBeDefined();
  });

  it('defines no Secret with values anywhere under deploy/ (Secrets by reference only)', () => {
    const yamlFiles = listFiles(path.join(ROOT, 'deploy')).filter((file) => /\.ya?ml$/.test(file));
    expect(yamlFiles.length).toBeGreaterThan(3);
    for (const file of yamlFiles) {
      for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
        if (isDict(doc) && doc.kind === 'Secret') {
          expect({ file, data: doc.data, stringData: doc.stringData }).toEqual({ file, data: undefined, stringData: undefined });
        }
        // Kustomize can mint Secrets from literals or files too.
        if (isDict(doc) && doc.secretGenerator !== undefined) throw new Error(`${file}: secretGenerator puts secret values in the repo`);
      }
    }
  });

  it.each(workloads.map((w) => [`${w.kind} ${w.metadata?.name}`, w] as const))('%s runs non-root, read-only, unprivileged, with resources', (_label, workload) => {
    const pod = dict(at(workload, 'spec', 'template', 'spec'), 'pod spec');
    expect(at(pod, 'securityContext', 'runAsNonRoot')).toBe(true);
    expect(at(pod, 'securityContext', 'runAsUser')).toBe(10001);
    expect(at(pod, 'securityContext', 'seccompProfile', 'type')).toBe('RuntimeDefault');
    expect(pod.automountServiceAccountToken).toBe(false);
    const tmpVolume = list(pod.volumes).find((volume) => at(volume, 'name') === 'tmp');
    expect(at(tmpVolume, 'emptyDir')).toBeDefined();
    const containers = list(pod.containers);
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) {
      const sc = dict(at(container, 'securityContext'), 'container securityContext');
      expect(sc.runAsNonRoot).toBe(true);
      expect(sc.readOnlyRootFilesystem).toBe(true);
      expect(sc.allowPrivilegeEscalation).toBe(false);
      expect(sc.privileged === undefined || sc.privileged === false).toBe(true);
      expect(list(at(sc, 'capabilities', 'drop'))).toContain('ALL');
      expect(list(at(sc, 'capabilities', 'add'))).toEqual([]);
      for (const key of ['requests', 'limits']) {
        expect(at(container, 'resources', key, 'cpu')).toBeDefined();
        expect(at(container, 'resources', key, 'memory')).toBeDefined();
      }
      expect(list(at(container, 'volumeMounts')).some((mount) => at(mount, 'mountPath') === '/tmp' && at(mount, 'name') === 'tmp')).toBe(true);
      expect(String(at(container, 'image'))).not.toMatch(/:latest$/);
    }
  });

  it.each(APPS)('%s: Deployment with probes on its port, graceful termination and spread', (app) => {
    const deployment = must('Deployment', app);
    const port = CONFIG[app].defaultPort;
    expect(at(deployment, 'spec', 'replicas')).toBe(2);
    const podLabels = dict(at(deployment, 'spec', 'template', 'metadata', 'labels'), 'pod labels');
    expect(selectorMatches(at(deployment, 'spec', 'selector', 'matchLabels'), podLabels)).toBe(true);
    const pod = dict(at(deployment, 'spec', 'template', 'spec'), 'pod spec');
    const [container] = list(pod.containers);
    expect(at(container, 'image')).toBe(`npi/${app}`);
    const ports = list(at(container, 'ports'));
    expect(ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    const portOf = (value: unknown) => (value === 'http' ? port : value);
    const probe = (kind: string) => dict(at(container, kind), `${app} ${kind}`);
    expect(at(probe('livenessProbe'), 'httpGet', 'path')).toBe('/health/live');
    expect(portOf(at(probe('livenessProbe'), 'httpGet', 'port'))).toBe(port);
    expect(at(probe('readinessProbe'), 'httpGet', 'path')).toBe('/health/ready');
    expect(portOf(at(probe('readinessProbe'), 'httpGet', 'port'))).toBe(port);
    expect(at(probe('startupProbe'), 'httpGet', 'path')).toBe('/health/live');
    expect(portOf(at(probe('startupProbe'), 'httpGet', 'port'))).toBe(port);

    // The pod must outlive the service's own drain: preStop sleep + SHUTDOWN_GRACE_MS < grace period.
    const env = containerEnvironment(container);
    const shutdownGraceMs = Number(env.values.SHUTDOWN_GRACE_MS ?? 10_000);
    const preStop = list(at(container, 'lifecycle', 'preStop', 'exec', 'command'));
    const preStopMs = preStop[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
    expect(Number(pod.terminationGracePeriodSeconds) * 1000).toBeGreaterThan(shutdownGraceMs + preStopMs);
    expect(list(pod.topologySpreadConstraints).length).toBeGreaterThan(0);
    for (const constraint of list(pod.topologySpreadConstraints)) {
      expect(selectorMatches(at(constraint, 'labelSelector', 'matchLabels'), podLabels)).toBe(true);
    }
  });

  it.each(APPS)('%s: Service, HPA (autoscaling/v2) and PDB (policy/v1, minAvailable 1) select its pods', (app) => {
    const podLabels = dict(at(must('Deployment', app), 'spec', 'template', 'metadata', 'labels'), 'pod labels');
    const port = CONFIG[app].defaultPort;
    const service = must('Service', app);
    expect(selectorMatches(at(service, 'spec', 'selector'), podLabels)).toBe(true);
    expect(list(at(service, 'spec', 'ports')).map((p) => [at(p, 'port'), at(p, 'targetPort')])).toEqual([[port, 'http']]);

    const hpa = must('HorizontalPodAutoscaler', app);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
    expect(Number(at(hpa, 'spec', 'minReplicas'))).toBeGreaterThanOrEqual(2);
    expect(Number(at(hpa, 'spec', 'maxReplicas'))).toBeGreaterThan(Number(at(hpa, 'spec', 'minReplicas')));

    const pdb = must('PodDisruptionBudget', app);
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(at(pdb, 'spec', 'minAvailable')).toBe(1);
    expect(selectorMatches(at(pdb, 'spec', 'selector', 'matchLabels'), podLabels)).toBe(true);
  });

  it.each(APPS)('%s: gets every required setting, each secret by secretKeyRef or Secret volume', (app) => {
    const container = list(at(must('Deployment', app), 'spec', 'template', 'spec', 'containers'))[0];
    const pod = dict(at(must('Deployment', app), 'spec', 'template', 'spec'), 'pod spec');
    const env = containerEnvironment(container);
    for (const requirement of [['DATABASE_URL'], ...CONFIG[app].required]) {
      const provided = requirement.filter((name) => env.all.has(name));
      expect({ app, requirement, provided: provided.length > 0 }).toEqual({ app, requirement, provided: true });
    }
    expect(env.secretRefs.get('DATABASE_URL')).toEqual({ name: `npi-${app}`, key: 'DATABASE_URL' });
    for (const name of env.all) {
      if (isSecretName(name, CONFIG[app].declaredSecrets)) expect({ name, bySecretKeyRef: env.secretRefs.has(name) }).toEqual({ name, bySecretKeyRef: true });
    }
    // Key files point into a mounted Secret volume, at a path the volume's items produce.
    for (const [name, value] of Object.entries(env.values)) {
      if (!name.endsWith('_FILE') || !value) continue;
      const mount = list(at(container, 'volumeMounts')).find((m) => value.startsWith(`${String(at(m, 'mountPath'))}/`));
      expect({ name, mounted: mount !== undefined }).toEqual({ name, mounted: true });
      expect(at(mount, 'readOnly')).toBe(true);
      const volume = list(pod.volumes).find((v) => at(v, 'name') === at(mount, 'name'));
      expect(at(volume, 'secret', 'secretName')).toEqual(expect.any(String));
      const relative = value.slice(String(at(mount, 'mountPath')).length + 1);
      expect(list(at(volume, 'secret', 'items')).map((item) => at(item, 'path'))).toContain(relative);
    }
    // Resource services verify access tokens against auth-service.
    if (app !== 'auth-service') {
      expect(env.values.AUTH_ISSUER).toBe('http://auth-service:3001');
      expect(env.values.AUTH_JWKS_URL).toBe('http://auth-service:3001/.well-known/jwks.json');
    }
    // ConfigMaps hold no secret-looking key.
    for (const source of list(at(container, 'envFrom'))) {
      const name = String(at(source, 'configMapRef', 'name'));
      for (const key of Object.keys(configMapData(name))) expect({ configMap: name, key, secret: isSecretName(key, CONFIG[app].declaredSecrets) }).toEqual({ configMap: name, key, secret: false });
    }
  });

  it('names in deploy/README.md every Secret key a manifest references', () => {
    const refs = base.objects.flatMap(secretReferences);
    expect(refs.length).toBeGreaterThanOrEqual(APPS.length + 1);
    for (const ref of refs) {
      const documented = README.split('\n').some((line) => line.includes(`\`${ref.name}\``) && line.includes(`\`${ref.key}\``));
      expect({ ...ref, documented }).toEqual({ ...ref, documented: true });
    }
  });

  it('denies all traffic by default', () => {
    const deny = must('NetworkPolicy', 'default-deny');
    expect(at(deny, 'spec', 'podSelector')).toEqual({});
    expect(list(at(deny, 'spec', 'policyTypes'))).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    expect(at(deny, 'spec', 'ingress')).toBeUndefined();
    expect(at(deny, 'spec', 'egress')).toBeUndefined();
  });

  it.each(APPS)('%s: NetworkPolicy opens its port to ingress and monitoring, egress to DNS, PostgreSQL, Kafka', (app) => {
    const policy = must('NetworkPolicy', app);
    const port = CONFIG[app].defaultPort;
    const podLabels = dict(at(must('Deployment', app), 'spec', 'template', 'metadata', 'labels'), 'pod labels');
    expect(selectorMatches(at(policy, 'spec', 'podSelector', 'matchLabels'), podLabels)).toBe(true);
    expect(list(at(policy, 'spec', 'policyTypes'))).toEqual(['Ingress', 'Egress']);
    const ingress = list(at(policy, 'spec', 'ingress'));
    for (const rule of ingress) {
      // Every ingress rule names its sources and only the service port.
      expect(list(at(rule, 'from')).length).toBeGreaterThan(0);
      expect(list(at(rule, 'ports')).map((p) => at(p, 'port'))).toEqual([port]);
    }
    const fromNamespaceRole = (role: string) =>
      ingress.some((rule) => list(at(rule, 'from')).some((peer) => at(peer, 'namespaceSelector', 'matchLabels', 'npi.io/network-role') === role));
    expect(fromNamespaceRole('ingress')).toBe(true);
    expect(fromNamespaceRole('monitoring')).toBe(true);
    const egressPorts = list(at(policy, 'spec', 'egress')).flatMap((rule) => list(at(rule, 'ports')).map((p) => at(p, 'port')));
    expect(egressPorts).toEqual(expect.arrayContaining([53, 5432, 9092]));
    for (const rule of list(at(policy, 'spec', 'egress'))) expect(list(at(rule, 'to')).length).toBeGreaterThan(0);
    for (const role of ['ingress', 'monitoring']) expect(README).toContain(`npi.io/network-role: ${role}`);
  });

  it('lets each resource service reach auth-service (JWKS), and auth-service accept exactly them', () => {
    const authIngressFrom = list(at(must('NetworkPolicy', 'auth-service'), 'spec', 'ingress'))
      .flatMap((rule) => list(at(rule, 'from')))
      .map((peer) => at(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name'))
      .filter(Boolean)
      .sort();
    const clients = APPS.filter((app) => app !== 'auth-service').sort();
    expect(authIngressFrom).toEqual(clients);
    for (const app of clients) {
      const egress = list(at(must('NetworkPolicy', app), 'spec', 'egress'));
      const toAuth = egress.find((rule) => list(at(rule, 'to')).some((peer) => at(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === 'auth-service'));
      expect(list(at(toAuth, 'ports')).map((p) => at(p, 'port'))).toEqual([3001]);
    }
  });

  it('runs migrations as a Job with the service image and the compiled applier', () => {
    const job = must('Job', 'npi-migrate');
    const [container] = list(at(job, 'spec', 'template', 'spec', 'containers'));
    expect(at(container, 'command')).toEqual(['node', '-r', './tools/runtime/register-paths.js', 'dist/tools/db/migrate.js']);
    expect(at(container, 'image')).toBe('npi/auth-service');
    expect(at(job, 'spec', 'template', 'spec', 'restartPolicy')).toBe('Never');
    expect(containerEnvironment(container).secretRefs.get('DATABASE_URL')).toEqual({ name: 'npi-migrate', key: 'DATABASE_URL' });
    expect(find('NetworkPolicy', 'npi-migrate')).toBeDefined();
  });

  it('talks to Kafka over TLS with SASL/SCRAM, each service with its own user and password from its Secret', () => {
    expect(common.KAFKA_SSL).toBe('true');
    expect(String(common.KAFKA_SASL_MECHANISM)).toMatch(/^scram-sha-(256|512)$/);
    expect(common.KAFKA_SASL_PASSWORD).toBeUndefined();
    for (const app of APPS) {
      const env = containerEnvironment(list(at(must('Deployment', app), 'spec', 'template', 'spec', 'containers'))[0]);
      expect(env.values.KAFKA_SASL_USERNAME).toBe(app);
      expect(env.secretRefs.get('KAFKA_SASL_PASSWORD')).toEqual({ name: `npi-${app}`, key: 'KAFKA_SASL_PASSWORD' });
    }
  });

  it('creates topics with 3 replicas and min.insync.replicas 2 (one broker may fail without losing an acknowledged event)', () => {
    expect(Number(common.KAFKA_REPLICATION_FACTOR)).toBeGreaterThanOrEqual(3);
    expect(Number(common.KAFKA_MIN_INSYNC_REPLICAS)).toBe(2);
    expect(Number(common.KAFKA_MIN_INSYNC_REPLICAS)).toBeLessThan(Number(common.KAFKA_REPLICATION_FACTOR));
  });

  it('keeps SHUTDOWN_GRACE_MS in the shared ConfigMap consistent with the pods', () => {
    expect(Number(common.SHUTDOWN_GRACE_MS)).toBe(10_000);
    expect(common.BROKER).toBe('kafka');
    expect(common.NODE_ENV).toBe('production');
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  (kubectl.error ? it.skip : it)('builds with `kubectl kustomize` to the same objects (skipped without kubectl)', () => {
    for (const [dir, resolved] of [
      ['deploy/base', base],
      ['deploy/overlays/production', production],
    ] as const) {
      const result = spawnSync('kubectl', ['kustomize', dir], { cwd: ROOT, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const ids = (objects: unknown[]) => objects.map((o) => `${String(at(o, 'kind'))}/${String(at(o, 'metadata', 'name'))}`).sort();
      expect(ids(yaml.loadAll(result.stdout))).toEqual(ids(resolved.objects));
    }
  });
});

// ---------------------------------------------------------------------------------------------
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function selectorMatches(selector: unknown, labels: Dict): boolean {
  if (!isDict(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

interface ContainerEnvironment {
  /** Every variable name the container gets (env and envFrom ConfigMaps of base). */
  all: Set<string>;
  /** Plain values (env `value` and ConfigMap data). */
  values: Record<string, string>;
  secretRefs: Map<string, { name: string; key: string }>;
}

function containerEnvironment(container: unknown): ContainerEnvironment {
  const values: Record<string, string> = {};
  const secretRefs = new Map<string, { name: string; key: string }>();
  const all = new Set<string>();
  const base = resolveKustomization(path.join(ROOT, 'deploy', 'base'));
  for (const source of list(at(container, 'envFrom'))) {
    const name = at(source, 'configMapRef', 'name');
    const configMap = base.objects.find((object) => object.kind === 'ConfigMap' && object.metadata?.name === name);
    if (!configMap) throw new Error(`envFrom names ConfigMap ${String(name)}, which base does not define`);
    for (const [key, value] of Object.entries(dict(configMap.data ?? {}, 'data'))) {
      all.add(key);
      values[key] = String(value);
    }
  }
  for (const entry of list(at(container, 'env'))) {
    const name = String(at(entry, 'name'));
    all.add(name);
    const ref = at(entry, 'valueFrom', 'secretKeyRef');
    if (ref !== undefined) secretRefs.set(name, { name: String(at(ref, 'name')), key: String(at(ref, 'key')) });
    else if (at(entry, 'value') !== undefined) values[name] = String(at(entry, 'value'));
  }
  return { all, values, secretRefs };
}

/** Every (Secret name, key) an object refers to: env secretKeyRef and secret volume items. */
function secretReferences(object: K8sObject): Array<{ kind: string; name: string; key: string }> {
  const pod = at(object, 'spec', 'template', 'spec');
  if (!isDict(pod)) return [];
  const refs: Array<{ kind: string; name: string; key: string }> = [];
  for (const container of [...list(pod.initContainers), ...list(pod.containers)]) {
    for (const entry of list(at(container, 'env'))) {
      const ref = at(entry, 'valueFrom', 'secretKeyRef');
      if (ref !== undefined) refs.push({ kind: 'secretKeyRef', name: String(at(ref, 'name')), key: String(at(ref, 'key')) });
    }
    for (const source of list(at(container, 'envFrom'))) {
      if (at(source, 'secretRef') !== undefined) throw new Error(`${String(object.metadata?.name)}: envFrom secretRef hides which keys are used; use secretKeyRef`);
    }
  }
  for (const volume of list(pod.volumes)) {
    const secret = at(volume, 'secret');
    if (secret === undefined) continue;
    const items = list(at(secret, 'items'));
    if (items.length === 0) throw new Error(`${String(object.metadata?.name)}: secret volume ${String(at(volume, 'name'))} must list its items (keys)`);
    for (const item of items) refs.push({ kind: 'secret volume', name: String(at(secret, 'secretName')), key: String(at(item, 'key')) });
  }
  return refs;
}
