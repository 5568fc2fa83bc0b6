import fc from 'fast-check';
import type { Operation, Parameter, Schema } from './operations';
import { deepNesting, injected, overlong, INJECTION_STRINGS } from './payloads';
import type { RawRequest } from './raw-http';

/** What the fuzzer knows to be valid for a field of this name (an app that exists, a real task id...). */
export type KnownValues = Readonly<Record<string, readonly string[]>>;

/** The Authorization headers the fuzzer sends: valid ones of several callers, and broken ones. */
export interface Credentials {
  member: string;
  otherTeam: string;
  admin: string;
}

/** A generated request with what the checks need to know about it. */
export interface FuzzRequest {
  operation: Operation;
  raw: RawRequest;
  /** The path parameters and body fields as sent (before encoding), for the workflow check. */
  sent: { path: Record<string, string>; body: unknown };
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;;',
  'application/json, text/plain',
  'application/merge-patch+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  '*/*',
  '',
  'application/json\u0000',
  '; charset=utf-8',
];

const EXTRA_HEADERS: Array<[string, string]> = [
  ['accept', 'text/event-stream'],
  ['accept', '*/*;q=abc'],
  ['accept-encoding', 'gzip, br, deflate, zstd'],
  ['content-encoding', 'gzip'],
  ['x-forwarded-for', '1.2.3.4, <script>'],
  ['x-forwarded-proto', 'javascript'],
  ['x-request-id', '$(id)'],
  ['x-request-id', 'a'.repeat(300)],
  ['cookie', 'session=$(id); a=b'],
  ['expect', '100-continue'],
  ['range', 'bytes=0-1'],
  ['if-none-match', '*'],
  ['origin', 'null'],
  ['content-length', '0'],
  ['last-event-id', '../../etc/passwd'],
  ['traceparent', '00-zz-zz-01'],
  ['user-agent', '\u00ff\u00fe'],
];

/** A string for a field of this name: a known-good value, a mutation of one, or something hostile. */
export function fieldValue(name: string, schema: Schema, known: KnownValues): fc.Arbitrary<string> {
  const valid = validValue(name, schema, known);
  return fc.oneof(
    // Valid often enough that whole requests get through to the upstream calls and workflows.
    { weight: 45, arbitrary: valid },
    { weight: 30, arbitrary: injected(valid) },
    { weight: 8, arbitrary: overlong() },
    { weight: 10, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    { weight: 4, arbitrary: fc.constantFrom('', ' ', '0', '-1', '1.5', 'true', 'null', '[]', '{}') },
    { weight: 3, arbitrary: fc.integer({ min: -1e6, max: 1e12 }).map(String) },
  );
}

function validValue(name: string, schema: Schema, known: KnownValues): fc.Arbitrary<string> {
  const choices = [
    ...(known[name] ?? []),
    ...(schema.enum ?? []).map(String),
    ...[schema.example, schema.default].flatMap((v) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [],
    ),
  ];
  if (schema.type === 'number') {
    const min = schema.minimum ?? 0;
    const max = Math.min(schema.maximum ?? min + 100, min + 1000);
    return fc.oneof(fc.integer({ min, max }).map(String), fc.constantFrom(String(min), String(max)));
  }
  if (schema.type === 'boolean') return fc.constantFrom('true', 'false');
  return choices.length > 0 ? fc.constantFrom(...choices) : fc.stringMatching(/^[a-z0-9][-a-z0-9]{0,20}$/);
}

/** A JSON value for a body property: mostly a string as above, sometimes another JSON type. */
function jsonValue(name: string, schema: Schema, known: KnownValues): fc.Arbitrary<unknown> {
  const object =
    schema.type === 'object'
      ? objectOf(schema, known)
      : fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor'), fc.string(), { maxKeys: 2 });
  return fc.oneof(
    { weight: 70, arbitrary: fieldValue(name, schema, known) },
    { weight: 5, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(1e308)) },
    { weight: 5, arbitrary: fc.boolean() },
    { weight: 5, arbitrary: fc.constant(null) },
    { weight: 5, arbitrary: fc.array(fc.string(), { maxLength: 3 }) },
    { weight: 10, arbitrary: object },
  );
}

/** An object for a schema: each property present or not, and now and then a property it does not know. */
function objectOf(schema: Schema, known: KnownValues): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const additional =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(
          fc.oneof(fc.constantFrom('port', 'greeting', 'replicas'), fc.constantFrom(...INJECTION_STRINGS)),
          fc.oneof(
            fieldValue('parameter', {}, known),
            fc.integer({ min: 0, max: 70_000 }),
            fc.boolean(),
            fc.constant(null),
          ),
          { maxKeys: 3 },
        )
      : fc.constant({});
  return fc
    .tuple(
      fc.tuple(
        ...properties.map(([name, property]) =>
          fc.option(jsonValue(name, property, known), {
            freq: schema.required?.includes(name) ? 10 : 2,
            nil: undefined,
          }),
        ),
      ),
      additional,
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'admin', 'team', ''), fc.string()), {
        freq: 5,
      }),
    )
    .map(([values, extra, unknown]) => {
      const result: Record<string, unknown> = {};
      properties.forEach(([name], i) => {
        if (values[i] !== undefined) result[name] = values[i];
      });
      // Own properties, `__proto__` included (JSON.parse makes it one too).
      for (const [key, value] of Object.entries(extra))
        Object.defineProperty(result, key, { value, enumerable: true });
      if (unknown !== null)
        Object.defineProperty(result, unknown[0], { value: unknown[1], enumerable: true });
      return result;
    });
}

/** The body text: JSON of the schema's shape mostly, otherwise JSON of another shape or not JSON at all. */
function bodyText(
  schema: Schema | undefined,
  known: KnownValues,
): fc.Arbitrary<{ text: string; value: unknown }> {
  const shaped = schema === undefined ? fc.constant<Record<string, unknown>>({}) : objectOf(schema, known);
  const asJson = (value: unknown): { text: string; value: unknown } => ({
    text: JSON.stringify(value),
    value,
  });
  return fc.oneof(
    { weight: 75, arbitrary: shaped.map(asJson) },
    {
      weight: 5,
      arbitrary: fc.constantFrom(null, [], 'text', 42, true, [{}], { '': '' }).map(asJson),
    },
    { weight: 4, arbitrary: deepNesting().map((text) => ({ text, value: undefined })) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(shaped, fc.nat())
        .map(([value]) => JSON.stringify(value))
        .chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)))
        .map((text) => ({ text, value: undefined })),
    },
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(
          '{ref: main}',
          "{'ref':'main'}",
          '{"ref":"main","ref":"$(id)"}',
          '\ufeff{"ref":"main"}',
          '{"ref":"main"}garbage',
          '{"a":1e99999}',
          '{"a":"\\ud800"}',
          '{"a":"\\u0000"}',
          '',
          ' ',
          'null',
          '{"__proto__":{"isAdmin":true}}',
          '{"constructor":{"prototype":{"isAdmin":true}}}',
        )
        .map((text) => ({ text, value: undefined })),
    },
  );
}

/** A path parameter as it goes into the target: escaped mostly, sometimes raw or with broken escapes. */
function pathSegment(value: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 70, arbitrary: fc.constant(encodeURIComponent(safeUtf16(value))) },
    { weight: 10, arbitrary: fc.constant(asLatin1Target(value)) },
    {
      weight: 10,
      arbitrary: fc.constantFrom('%', '%zz', '%c0%af', '%ff', '%00', '%2e%2e', '..', '.', '%2F'),
    },
    { weight: 10, arbitrary: fc.constant(`${encodeURIComponent(safeUtf16(value))}%`) },
  );
}

/** The query string: the documented parameters, plus unknown, repeated and badly escaped ones. */
function queryString(
  operation: Operation,
  known: KnownValues,
  credentials: Credentials,
): fc.Arbitrary<string> {
  const params: Array<fc.Arbitrary<string | null>> = operation.query.map((p) =>
    fc.option(
      queryValue(p, known, credentials).map((value) => `${p.name}=${encodeValue(value)}`),
      { freq: 2, nil: null },
    ),
  );
  const extras = fc.option(
    fc.constantFrom(
      'unknown=1',
      'app=a&app=b',
      'limit=1&limit=2',
      'a[b]=c',
      '__proto__[x]=1',
      'constructor=1',
      '=',
      '&&&',
      'x=%zz',
      'x=%c0%af',
      'limit=%',
      'q=%00',
      `x=${'a'.repeat(9000)}`,
    ),
    { freq: 4, nil: null },
  );
  return fc.tuple(fc.tuple(...params), extras).map(([values, extra]) => {
    const parts = [...values, extra].filter((v): v is string => v !== null);
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  });
}

function queryValue(
  parameter: Parameter,
  known: KnownValues,
  credentials: Credentials,
): fc.Arbitrary<string> {
  if (parameter.name === 'access_token') {
    return fc.oneof(
      fc.constant(credentials.member.replace(/^Bearer /, '')),
      fieldValue('access_token', {}, known),
    );
  }
  if (parameter.name === 'wait') {
    // A valid wait holds the answer that long: the fuzzer's valid one is 0 (answered at once), so
    // 10,000 requests fit in the run; longer waits are the long-poll tests' business.
    return fc.oneof(fc.constant('0'), fieldValue('wait', { type: 'string' }, known));
  }
  return fieldValue(parameter.name, parameter.schema, known);
}

/** Escapes like a client mostly; sometimes sends the value as it is (spaces and all). */
function encodeValue(value: string): string {
  return value.length % 7 === 3 ? asLatin1Target(value) : encodeURIComponent(safeUtf16(value));
}

function authorization(credentials: Credentials): fc.Arbitrary<[string, string] | null> {
  return fc.oneof(
    { weight: 60, arbitrary: fc.constant<[string, string]>(['authorization', credentials.member]) },
    { weight: 10, arbitrary: fc.constant<[string, string]>(['authorization', credentials.admin]) },
    { weight: 10, arbitrary: fc.constant<[string, string]>(['authorization', credentials.otherTeam]) },
    { weight: 5, arbitrary: fc.constant(null) },
    {
      weight: 15,
      arbitrary: fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'Basic YWRtaW46YWRtaW4=',
          `Bearer ${'a'.repeat(9000)}`,
          'Bearer a.b.c',
          'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.',
          `${credentials.member}x`,
          `bearer  ${credentials.member.replace(/^Bearer /, '')}`,
          'Bearer $(id)',
          'Bearer é',
        )
        .map((value): [string, string] => ['authorization', value]),
    },
  );
}

/** Every request the fuzzer sends to one operation. */
export function requestsFor(
  operation: Operation,
  host: string,
  known: KnownValues,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 3, arbitrary: anyRequestFor(operation, host, known, credentials) },
    { weight: 2, arbitrary: focusedRequestFor(operation, host, known, credentials) },
  );
}

/**
 * A valid request of a member of the app's team with one field hostile: a value that gets past
 * every other check reaches the code behind the validation (selectors, upstream calls, workflows),
 * which a request with several bad fields never does.
 */
function focusedRequestFor(
  operation: Operation,
  host: string,
  known: KnownValues,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  const bodyFields = Object.entries(operation.body?.properties ?? {});
  const fields = [
    ...operation.pathParams.map((name) => ({ where: 'path' as const, name, schema: { type: 'string' } })),
    ...operation.query
      .filter((q) => q.name !== 'wait')
      .map((q) => ({ where: 'query' as const, name: q.name, schema: q.schema })),
    ...bodyFields.map(([name, schema]) => ({ where: 'body' as const, name, schema })),
  ];
  if (fields.length === 0) return anyRequestFor(operation, host, known, credentials);
  return fc.nat({ max: fields.length - 1 }).chain((focus) => {
    const value = (i: number): fc.Arbitrary<unknown> => {
      const field = fields[i];
      if (field === undefined) return fc.constant(undefined);
      if (i === focus)
        return field.where === 'body'
          ? jsonValue(field.name, field.schema, known)
          : fieldValue(field.name, field.schema, known);
      if (field.schema.type === 'object') return fc.constant(undefined);
      const valid = validValue(field.name, field.schema, known);
      const required = field.where === 'path' || operation.body?.required?.includes(field.name) === true;
      return required ? valid : fc.option(valid, { nil: undefined });
    };
    return fc.tuple(...fields.map((_, i) => value(i))).map((values) => {
      let target = operation.path;
      const path: Record<string, string> = {};
      const query: string[] = [];
      const body: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        const v = values[i];
        if (v === undefined) return;
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        if (field.where === 'path') {
          path[field.name] = text;
          target = target.replace(`{${field.name}}`, encodeURIComponent(safeUtf16(text)));
        } else if (field.where === 'query')
          query.push(`${field.name}=${encodeURIComponent(safeUtf16(text))}`);
        else body[field.name] = v;
      });
      const text = operation.method === 'GET' ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      const headers: Array<[string, string]> = [
        ['host', host],
        ['authorization', credentials.member],
        ...(text === undefined
          ? []
          : ([
              ['content-type', 'application/json'],
              ['content-length', String(text.length)],
            ] as Array<[string, string]>)),
      ];
      return {
        operation,
        raw: {
          method: operation.method,
          target: query.length === 0 ? target : `${target}?${query.join('&')}`,
          headers,
          ...(text === undefined ? {} : { body: text }),
        },
        sent: { path, body: text === undefined ? undefined : body },
      };
    });
  });
}

function anyRequestFor(
  operation: Operation,
  host: string,
  known: KnownValues,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(
    ...operation.pathParams.map((name) =>
      fieldValue(name, { type: 'string' }, known).chain((value) =>
        pathSegment(value).map((segment) => ({ name, value, segment })),
      ),
    ),
  );
  const headerParams = fc.tuple(
    ...operation.headers.map((h) =>
      fc.option(
        fieldValue(h.name, h.schema, known).map((value): [string, string] => [h.name, asLatin1Header(value)]),
        { freq: 2, nil: null },
      ),
    ),
  );
  const mutation = operation.method !== 'GET';
  return fc
    .record({
      path: pathValues,
      query: queryString(operation, known, credentials),
      auth: authorization(credentials),
      headers: headerParams,
      extra: fc.option(fc.constantFrom(...EXTRA_HEADERS), { freq: 5, nil: null }),
      body: mutation
        ? fc.option(bodyText(operation.body, known), { freq: 10, nil: null })
        : fc.constant(null),
      contentType: fc.oneof(
        { weight: 85, arbitrary: fc.constant('application/json') },
        { weight: 15, arbitrary: fc.constantFrom(...JSON_TYPES) },
      ),
      method: fc.oneof(
        { weight: 95, arbitrary: fc.constant(operation.method) },
        { weight: 5, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'FOO', 'get') },
      ),
    })
    .map(({ path, query, auth, headers, extra, body, contentType, method }) => {
      let target = operation.path;
      for (const { name, segment } of path) target = target.replace(`{${name}}`, segment);
      const bytes = body === null ? undefined : Buffer.from(body.text, 'utf8');
      const requestHeaders: Array<[string, string]> = [['host', host]];
      if (auth !== null) requestHeaders.push(auth);
      for (const header of headers) if (header !== null) requestHeaders.push(header);
      if (extra !== null && extra[0] !== 'content-length') requestHeaders.push(extra);
      if (bytes !== undefined) {
        requestHeaders.push(['content-type', contentType], ['content-length', String(bytes.length)]);
      }
      return {
        operation,
        raw: {
          method,
          target: target + query,
          headers: requestHeaders,
          ...(bytes === undefined ? {} : { body: bytes }),
        },
        sent: {
          path: Object.fromEntries(path.map(({ name, value }) => [name, value])),
          body: body?.value,
        },
      };
    });
}

/** A lone surrogate cannot be percent-encoded; it travels as U+FFFD, as a browser would send it. */
function safeUtf16(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The value's UTF-8 bytes, written one per latin1 character, as they appear on the wire. */
function asLatin1Target(value: string): string {
  return Buffer.from(safeUtf16(value), 'utf8').toString('latin1');
}

const asLatin1Header = asLatin1Target;
