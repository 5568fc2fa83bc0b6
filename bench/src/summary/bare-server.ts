import { PageBuffers } from '@platform/summary/dist/apps/page-buffers';
import { pageBody } from '@platform/summary/dist/store/page-body';
import http from 'node:http';
import { Redis } from 'ioredis';

/**
 * The limit: a bare Node `http` server that answers a page of the summary's Redis model in one
 * round-trip (a Lua script reading one index range and its records) with no framework, no auth,
 * no validation, no limits and no logging. It answers the same page as the service: the records
 * are spliced by the service's own page code (a one-environment app's parts copied back in, the
 * observed parts named), since the records as stored are not the API's items; sending them as
 * they are would be a quarter fewer bytes than the page. Argv: redis URL, key prefix.
 */
const [redisUrl = 'redis://127.0.0.1:6379', prefix = '{summary}:'] = process.argv.slice(2);

const PAGE_LUA = `
local key, min, max, limit, prefix, health = KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local out = {}
if health == '' then
  for i, name in ipairs(redis.call('ZRANGEBYLEX', key, min, max, 'LIMIT', 0, limit)) do
    out[i] = redis.call('GET', prefix .. 'app:' .. name)
  end
  return out
end
-- A health filter walks the name order keeping the apps in that state's set or, for the usual
-- state (Healthy, which has no set), in none of the other states' sets (see the summary's README).
local wanted, others = nil, {}
if health == 'Healthy' then
  for _, value in ipairs(redis.call('SMEMBERS', prefix .. 'tags:health')) do
    others[#others + 1] = prefix .. 'tag:health:' .. value
  end
else wanted = prefix .. 'tag:health:' .. health end
local offset = 0
while #out < limit do
  local names = redis.call('ZRANGEBYLEX', key, min, max, 'LIMIT', offset, 200)
  for _, name in ipairs(names) do
    local keep = #out < limit and (wanted == nil or redis.call('SISMEMBER', wanted, name) == 1)
    for _, other in ipairs(others) do
      if keep and redis.call('SISMEMBER', other, name) == 1 then keep = false end
    end
    if keep then out[#out + 1] = redis.call('GET', prefix .. 'app:' .. name) end
  end
  if #names < 200 then break end
  offset = offset + 200
end
return out
`;

type PageRedis = Redis & {
  pageBuffer(
    key: string,
    min: string,
    max: string,
    limit: number,
    prefix: string,
    health: string,
  ): Promise<Buffer[]>;
};

const redis = new Redis(redisUrl) as PageRedis;
const buffers = new PageBuffers();
/** What the service appends to each record when every source is connected. */
const FRESH_SUFFIX = ',"staleParts":[],"stale":false}';
redis.defineCommand('page', { numberOfKeys: 1, lua: PAGE_LUA });

/** The index a query reads (and the health state it keeps), as the summary's README documents the keys. */
function range(url: URL): [string, string, string, string] {
  const team = url.searchParams.get('team');
  const health = url.searchParams.get('health');
  const q = url.searchParams.get('q');
  if (team !== null) return [`${prefix}idx:team:${team}`, '-', '+', ''];
  if (health !== null) return [`${prefix}idx:name`, '-', '+', health];
  if (q !== null) return [`${prefix}idx:name`, `[${q}`, `[${q}\xff`, ''];
  return [`${prefix}idx:name`, '-', '+', ''];
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bare');
  const [key, min, max, health] = range(url);
  redis.pageBuffer(key, min, max, 50, prefix, health).then(
    (records) => {
      const body = pageBody('{"items":[', records, FRESH_SUFFIX, ']}', (bytes) => buffers.lend(bytes, res));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
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
