import { describe, expect, it } from '@jest/globals';
import { imageFacts } from '@platform/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from './platform-sandbox';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: unknown };
}

interface Container {
  image: string;
  command?: string[];
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean };
}

interface Template {
  name: string;
  activeDeadlineSeconds?: number;
  container?: Container;
  script?: Container & { source: string };
  steps?: unknown;
  volumes?: Array<{ name: string; secret?: { secretName: string; optional?: boolean } }>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  executor?: unknown;
}

interface WorkflowTemplate {
  spec: {
    activeDeadlineSeconds?: number;
    podGC?: { strategy?: string; deleteDelayDuration?: string };
    ttlStrategy?: { secondsAfterSuccess?: number; secondsAfterFailure?: number };
    securityContext?: { fsGroup?: number };
    volumeClaimTemplates?: unknown[];
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
    executor?: { serviceAccountName?: string };
    volumes?: unknown[];
    templates: Template[];
  };
}

const FILES = ['create-app.yaml', 'ci.yaml', 'cd.yaml', 'delete-app.yaml'];
const KANIKO = 'ghcr.io/osscontainertools/kaniko:v1.28.3';

function load(file: string): WorkflowTemplate {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'argo', file), 'utf8'), {
    merge: true,
  }) as WorkflowTemplate;
}

/** The templates that become pods, with their container or script. */
function leaves(file: string): Array<{ template: Template; container: Container }> {
  return load(file).spec.templates.flatMap((template) => {
    const container = template.container ?? template.script;
    return container === undefined ? [] : [{ template, container }];
  });
}

const each = FILES.flatMap((file) =>
  leaves(file).map((leaf) => ({ file, name: leaf.template.name, ...leaf })),
);

describe('deploy/argo WorkflowTemplates are production-hardened', () => {
  it.each(FILES)(
    '%s: a deadline, pod and workflow garbage collection, and a group for its volumes',
    (file) => {
      const { spec } = load(file);
      expect(spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(spec.podGC).toEqual({ strategy: 'OnPodSuccess', deleteDelayDuration: '10m' });
      expect(spec.ttlStrategy?.secondsAfterSuccess).toBeGreaterThan(0);
      expect(spec.ttlStrategy?.secondsAfterFailure).toBeGreaterThanOrEqual(
        spec.ttlStrategy?.secondsAfterSuccess ?? 0,
      );
      // A workspace volume is root:root 0755 when fresh: the non-root steps write it through a group.
      if ((spec.volumeClaimTemplates ?? []).length > 0) expect(spec.securityContext?.fsGroup).toBe(999);
    },
  );

  it.each(each)(
    "$file $name: its own deadline, within the workflow's, and requests and limits",
    ({ file, template, container }) => {
      const workflowDeadline = load(file).spec.activeDeadlineSeconds ?? 0;
      expect(template.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(template.activeDeadlineSeconds).toBeLessThanOrEqual(workflowDeadline);
      for (const part of ['requests', 'limits'] as const)
        expect(Object.keys(container.resources?.[part] ?? {}).sort()).toEqual(['cpu', 'memory']);
    },
  );

  it.each(each)(
    '$file $name: an image the sandbox knows, run as non-root unless it is kaniko',
    ({ container }) => {
      const facts = imageFacts(container.image);
      expect(facts).toBeDefined();
      if (facts?.executor === 'kaniko') {
        // kaniko unpacks base images as root; Argo must not look its entrypoint up at run time.
        expect({ image: container.image, command: container.command }).toEqual({
          image: KANIKO,
          command: ['/kaniko/executor'],
        });
        return;
      }
      expect(container.command?.length).toBeGreaterThan(0);
      // A numeric user: runAsNonRoot cannot check a user name (curlimages/curl's is curl_user).
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.securityContext?.runAsUser).toBeGreaterThan(0);
    },
  );

  it.each(each)(
    '$file $name: no plain value after a secret, so $(VAR) cannot pull a secret into it',
    ({ container }) => {
      const env = container.env ?? [];
      const firstSecret = env.findIndex((v) => v.valueFrom?.secretKeyRef !== undefined);
      const plainAfter =
        firstSecret < 0 ? [] : env.slice(firstSecret).filter((v) => v.valueFrom === undefined);
      expect(plainAfter.map((v) => v.name)).toEqual([]);
    },
  );

  it.each(FILES)(
    "%s: no Kubernetes token in any step, only the executor account's in Argo's wait container",
    (file) => {
      const { spec } = load(file);
      expect({
        serviceAccountName: spec.serviceAccountName,
        automountServiceAccountToken: spec.automountServiceAccountToken,
        executor: spec.executor,
      }).toEqual({
        serviceAccountName: 'platform-workflows',
        automountServiceAccountToken: false,
        executor: { serviceAccountName: 'platform-workflows-executor' },
      });
      // No template may turn it back on or run as another account.
      for (const template of spec.templates) {
        expect([
          template.automountServiceAccountToken,
          template.serviceAccountName,
          template.executor,
        ]).toEqual([undefined, undefined, undefined]);
      }
      expect(spec.volumes).toBeUndefined();
    },
  );

  it.each(each.filter(({ container }) => imageFacts(container.image)?.executor === 'kaniko'))(
    "$file $name: pushes with the team's own registry robot, never optional",
    ({ template }) => {
      expect(template.volumes?.filter((v) => v.secret !== undefined)).toEqual([
        {
          name: 'registry-credentials',
          secret: {
            secretName: 'platform-registry-{{workflow.parameters.team}}',
            items: [{ key: '.dockerconfigjson', path: 'config.json' }],
          },
        },
      ]);
    },
  );

  it('clones the manifests and template repositories from main, not from whatever HEAD names', () => {
    const sources = FILES.flatMap((file) =>
      leaves(file).map(({ template }) => template.script?.source ?? ''),
    );
    const clones = sources.flatMap((source) => source.split('\n').filter((line) => /git clone/.test(line)));
    const fromMain = clones.filter((line) => line.includes('-b main --single-branch'));
    // ci's clone is the exception: the ref it builds may be any branch, tag or commit.
    expect(clones.length - fromMain.length).toBe(1);
  });
});
