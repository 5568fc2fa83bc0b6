import http from 'node:http';
import { Redis } from 'ioredis';

/**
 * The limit: a bare Node `http` server that answers a page of the summary's Redis model in one
 * round-trip (a Lua script reading one index range and its records) with no framework, no auth
 * and no validation. Argv: redis URL, key prefix.
 */
const [redisUrl = 'redis://127.0.0.1:6379', prefix = '{summary}:'] = process.argv.slice(2);

const PAGE_LUA = `
local names = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i, name in ipairs(names) do out[i] = redis.call('GET', ARGV[4] .. 'app:' .. name) end
return out
`;

type PageRedis = Redis & {
  page(key: string, min: string, max: string, limit: number, prefix: string): Promise<string[]>;
};

const redis = new Redis(redisUrl) as PageRedis;
redis.defineCommand('page', { numberOfKeys: 1, lua: PAGE_LUA });

/** The index a query reads, as the summary's README documents the keys. */
function range(url: URL): [string, string, string] {
  const team = url.searchParams.get('team');
  const health = url.searchParams.get('health');
  const q = url.searchParams.get('q');
  if (team !== null) return [`${prefix}idx:team:${team}`, '-', '+'];
  if (health !== null) return [`${prefix}idx:health:${health}`, '-', '+'];
  if (q !== null) return [`${prefix}idx:name`, `[${q}`, `[${q}\xff`];
  return [`${prefix}idx:name`, '-', '+'];
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bare');
  const [key, min, max] = range(url);
  redis.page(key, min, max, 50, prefix).then(
    (records) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"items":[${records.join(',')}]}`);
    },
    (error: Error) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: error.message }));
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
