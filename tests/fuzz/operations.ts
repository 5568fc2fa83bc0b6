/** A JSON schema as the services' OpenAPI documents write them (the parts the fuzzer reads). */
export interface Schema {
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  oneOf?: Schema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path';
  schema: Schema;
}

/** One route of one service, as its OpenAPI document describes it. */
export interface Operation {
  service: string;
  method: string;
  /** `/task/v1/apps/{app}/builds` */
  path: string;
  /** The `{name}`s of the path, whether or not the document lists them as parameters. */
  pathParams: string[];
  query: Parameter[];
  headers: Parameter[];
  /** The JSON body's schema, $refs resolved; undefined: the route takes no body. */
  body?: Schema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Every operation of the document a service serves at `<base>/docs/openapi.json`. */
export async function operationsOf(service: string, base: string): Promise<Operation[]> {
  const res = await fetch(`${base}/docs/openapi.json`);
  if (res.status !== 200) throw new Error(`${service} serves no OpenAPI document (${res.status})`);
  const doc = (await res.json()) as OpenApiDocument;
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (schema?.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return doc.components?.schemas?.[name];
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in as Parameter['in'],
        schema: p.schema ?? {},
      }));
      const body = resolve(operation.requestBody?.content?.['application/json']?.schema);
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ''),
        query: parameters.filter((p) => p.in === 'query'),
        headers: parameters.filter((p) => p.in === 'header'),
        ...(body === undefined ? {} : { body }),
      });
    }
  }
  return operations;
}
