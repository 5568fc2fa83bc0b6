import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import { SHARED_DIR } from './shared';

type Schema = Record<string, unknown>;

/** Types the spec states as one thing while Go marshals them as another. */
const WIRE_TYPES: Record<string, Schema> = {
  // `intstr.IntOrString` is a number or a string on the wire; the specs say string / object.
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['string', 'integer'] },
  intstrIntOrString: { type: ['string', 'integer'] },
  // metav1.MicroTime marshals itself as an RFC 3339 string; Argo CD's spec shows its proto form.
  v1MicroTime: { type: 'string', format: 'date-time' },
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Validates response bodies against an upstream Swagger 2.0 spec: the response schema of an
 * operation (`paths[path][method].responses[status]`) compiled with the spec's definitions.
 * Properties may be null: Go writes nil pointers, slices and maps as `null`, which the generated
 * specs never mark nullable.
 */
export class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  /** The same definitions without `required`, for bodies trimmed by `fields=`. */
  private readonly partialAjv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly spec: {
    paths: Record<string, Record<string, { responses: Record<string, { schema?: Schema }> }>>;
    definitions: Record<string, Schema>;
  };

  constructor(private readonly file: string) {
    this.spec = JSON.parse(readFileSync(path.join(SHARED_DIR, 'specs', file), 'utf8')) as Contract['spec'];
    const definitions: Record<string, Schema> = {};
    for (const [name, schema] of Object.entries(this.spec.definitions)) {
      definitions[name] = WIRE_TYPES[name] ?? nullableProperties(schema);
    }
    for (const [ajv, defs] of [
      [this.ajv, definitions],
      [this.partialAjv, withoutRequired(definitions)],
    ] as const) {
      for (const format of ['int32', 'int64', 'uint64', 'byte', 'binary']) ajv.addFormat(format, true);
      ajv.addFormat('date-time', RFC3339);
      ajv.addSchema({ definitions: defs }, 'spec');
    }
  }

  /**
   * The validation errors of `body` as the `status` response of `method path` ('' when valid).
   * `trimmed` is for bodies cut down by `fields=`, which drops required fields by design.
   */
  errors(
    method: string,
    specPath: string,
    body: unknown,
    status: '200' | 'default' = '200',
    trimmed = false,
  ): string {
    const ajv = trimmed ? this.partialAjv : this.ajv;
    const validate = this.validator(ajv, method.toLowerCase(), specPath, status, trimmed);
    return validate(body) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
  }

  private validator(
    ajv: Ajv,
    method: string,
    specPath: string,
    status: string,
    trimmed: boolean,
  ): ValidateFunction {
    const key = `${method} ${specPath} ${status} ${String(trimmed)}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      const schema = this.spec.paths[specPath]?.[method]?.responses[status]?.schema;
      if (schema === undefined) throw new Error(`${this.file} has no ${status} response for ${key}`);
      validate = ajv.compile(rebase(nullableProperties(schema)));
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

function withoutRequired(definitions: Record<string, Schema>): Record<string, Schema> {
  return JSON.parse(
    JSON.stringify(definitions, (key, value: unknown) =>
      key === 'required' && Array.isArray(value) ? undefined : value,
    ),
  ) as Record<string, Schema>;
}

/** Every property may also be null. */
function nullableProperties(schema: Schema): Schema {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties === undefined) return schema;
  const nullable: Record<string, Schema> = {};
  for (const [name, property] of Object.entries(properties))
    nullable[name] = { anyOf: [property, { type: 'null' }] };
  return { ...schema, properties: nullable };
}

/** Points the operation schema's local refs at the registered definitions. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"spec#/definitions/')) as Schema;
}
