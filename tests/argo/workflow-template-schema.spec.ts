import { describe, expect, it } from '@jest/globals';
import Ajv from 'ajv-draft-04';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT } from './platform-sandbox';

const SPEC = path.resolve(ROOT, '..', 'shared', 'specs', 'argo-workflows.swagger.json');
const TEMPLATES = ['create-app.yaml', 'ci.yaml', 'cd.yaml', 'delete-app.yaml'];

function validator(): (object: unknown) => string {
  const spec = JSON.parse(fs.readFileSync(SPEC, 'utf8')) as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of ['int32', 'int64', 'uint64', 'byte', 'binary', 'date-time'])
    ajv.addFormat(format, true);
  // IntOrString is a number or a string in YAML; the generated spec says only string.
  const definitions = {
    ...spec.definitions,
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['string', 'integer'] },
  };
  ajv.addSchema({ definitions }, 'spec');
  const validate = ajv.compile({ $ref: 'spec#/definitions/io.argoproj.workflow.v1alpha1.WorkflowTemplate' });
  return (object) => (validate(object) ? '' : ajv.errorsText(validate.errors, { separator: '\n' }));
}

if (!fs.existsSync(SPEC)) console.log('WorkflowTemplate schema checks skipped: ../shared not found');
(fs.existsSync(SPEC) ? describe : describe.skip)(
  'deploy/argo WorkflowTemplates against the Argo Workflows schema',
  () => {
    const errorsOf = fs.existsSync(SPEC) ? validator() : () => '';

    it.each(TEMPLATES)('%s is a valid WorkflowTemplate', (file) => {
      const object: unknown = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'argo', file), 'utf8'), {
        merge: true,
      });
      expect(errorsOf(object)).toBe('');
    });

    it('would catch a broken template', () => {
      expect(errorsOf({ metadata: { name: 'x' }, spec: { templates: [{ name: 1, steps: 'no' }] } })).not.toBe(
        '',
      );
    });

    it.each(TEMPLATES)('%s passes parameters to scripts only through the environment', (file) => {
      const template = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'argo', file), 'utf8'), {
        merge: true,
      }) as {
        spec: { templates: Array<{ name: string; script?: { source: string } }> };
      };
      const spliced = template.spec.templates.filter((t) => t.script?.source.includes('{{'));
      expect(spliced.map((t) => t.name)).toEqual([]);
    });
  },
);
