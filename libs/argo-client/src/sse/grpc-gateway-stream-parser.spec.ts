import { GrpcGatewayStreamParser, StreamProtocolError } from './grpc-gateway-stream-parser';
import type { StreamMessage } from './stream-message';

type Result = { type: string; n: number; text?: string };

const SSE_BODY =
  ':\n' +
  'data: {"result":{"type":"ADDED","n":1}} \n\n\n' +
  ':\n' +
  'data: {"result":{"type":"MODIFIED","n":2,"text":"héllo ✓"}} \n\n\n' +
  'data: {} \n\n\n' +
  'data: {"error":{"grpc_code":8,"http_code":429,"message":"EOF","http_status":"Too Many Requests"}} \n\n\n';

const EXPECTED: Array<StreamMessage<Result>> = [
  { kind: 'keepalive' },
  { kind: 'result', result: { type: 'ADDED', n: 1 } },
  { kind: 'keepalive' },
  { kind: 'result', result: { type: 'MODIFIED', n: 2, text: 'héllo ✓' } },
  { kind: 'empty' },
  {
    kind: 'error',
    error: { grpc_code: 8, http_code: 429, message: 'EOF', http_status: 'Too Many Requests' },
  },
];

function parseInChunks(body: Buffer, cuts: number[]): Array<StreamMessage<Result>> {
  const parser = new GrpcGatewayStreamParser<Result>();
  const out: Array<StreamMessage<Result>> = [];
  let start = 0;
  for (const cut of [...cuts, body.length]) {
    out.push(...parser.push(body.subarray(start, cut)));
    start = cut;
  }
  out.push(...parser.end());
  return out;
}

describe(GrpcGatewayStreamParser.name, () => {
  it('parses the SSE framing with trailing spaces, keepalives, {} and error frames', () => {
    expect(parseInChunks(Buffer.from(SSE_BODY), [])).toEqual(EXPECTED);
  });

  it('gives the same messages when the body is split at every byte', () => {
    const body = Buffer.from(SSE_BODY);
    for (let cut = 1; cut < body.length; cut += 1) {
      expect(parseInChunks(body, [cut])).toEqual(EXPECTED);
    }
    const everyByte = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
    expect(parseInChunks(body, everyByte)).toEqual(EXPECTED);
  });

  it('parses JSON lines (what the server answers when Accept is not exactly text/event-stream)', () => {
    const body = Buffer.from('{"result":{"type":"ADDED","n":1}}\n{"result":{"type":"DELETED","n":3}}');
    expect(parseInChunks(body, [7, 40])).toEqual([
      { kind: 'result', result: { type: 'ADDED', n: 1 } },
      { kind: 'result', result: { type: 'DELETED', n: 3 } },
    ]);
  });

  it('tolerates CRLF line ends and ignores standard SSE fields', () => {
    const body = Buffer.from('event: x\r\nid: 4\r\ndata: {"result":{"type":"A","n":4}}\r\n\r\n');
    expect(parseInChunks(body, [])).toEqual([{ kind: 'result', result: { type: 'A', n: 4 } }]);
  });

  it('rejects lines that are not grpc-gateway frames', () => {
    const parser = new GrpcGatewayStreamParser<Result>();
    expect(() => parser.push('<html>502 Bad Gateway</html>\n')).toThrow(StreamProtocolError);
    expect(() => new GrpcGatewayStreamParser<Result>().push('data: {"foo":1} \n')).toThrow(
      StreamProtocolError,
    );
  });
});
