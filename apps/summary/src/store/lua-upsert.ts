import { IMPLIED_STATES_LUA } from './lua-implied-states';

/**
 * Shared Lua helpers: where an app's record sits in each index, read from its summary JSON, so a
 * write can take the old entries out and put the new ones in within the same atomic script.
 * Orders (name, activity) and the team filter are sorted sets; the state filters (health, sync,
 * build, deploy) are plain sets ("tags"): a set member costs about half a sorted-set member, and
 * four of them per app were a third of the memory per app.
 *
 * The usual state of each dimension (IMPLIED_STATES: Healthy, Synced, Succeeded) has no set: most apps
 * are in it, so its set would hold most apps four times over. An app is in it when it is in no
 * other set of the dimension; `tags:<dim>` names the other values that ever had a set, so a
 * filter on the usual state knows which sets to rule out.
 *
 * Each environment of an app (the record's `environments`) is indexed the same way under
 * `env:<environment>:`: `idx:activity` (a sorted set scored by the environment's last activity:
 * the environment's apps, and their newest-first order) and the tag sets of its health, sync and
 * deploy phase (builds are not per environment); counters in `envstats`. The environment's
 * activity is read from the record's ISO time (UTC, as Argo and Kubernetes write them) by isoMs,
 * so that the layout migration can rebuild these indexes from the records alone.
 *
 * The scripts store a record as the leader encoded it and never re-encode one: a record may point
 * at byte ranges of itself (`@parts`, stored-record.ts), which cjson.encode would move.
 */
export const LUA_INDEX_HELPERS = `
${IMPLIED_STATES_LUA}
local function str(v, default)
  if type(v) == 'string' and v ~= '' then return v end
  return default
end
local function dims(s)
  local build = 'None'
  if type(s.build) == 'table' then build = str(s.build.phase, 'None') end
  local deploy = 'None'
  if type(s.deploy) == 'table' then deploy = str(s.deploy.phase, 'None') end
  return {
    team = str(s.team, '-'),
    health = str(type(s.health) == 'table' and s.health.status or nil, 'Unknown'),
    sync = str(type(s.sync) == 'table' and s.sync.status or nil, 'Unknown'),
    build = build,
    deploy = deploy,
  }
end
local DIMS = {'health', 'sync', 'build', 'deploy'}
local ENV_DIMS = {'health', 'sync', 'deploy'}
-- Milliseconds since the epoch of an ISO time in UTC ('2026-03-01T10:00:00Z', with or without a
-- fraction); 0 when it is not one (days from the civil date, as in H. Hinnant's days_from_civil).
local function isoMs(t)
  if type(t) ~= 'string' then return 0 end
  local y, mo, d, h, mi, sec, frac = string.match(t, '^(%d%d%d%d)-(%d%d)-(%d%d)T(%d%d):(%d%d):(%d%d)%.?(%d*)Z$')
  if not y then return 0 end
  y, mo = tonumber(y), tonumber(mo)
  if mo <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + tonumber(d) - 1
  local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  local ms = 0
  if frac ~= '' then ms = math.floor(tonumber('0.' .. frac) * 1000 + 0.5) end
  return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(sec) * 1000 + ms
end
-- The record's environments: name, its states, its activity (records of older versions have none).
-- An environment holding "@parts" stores its parts once, as the app's (see stored-record.ts).
local function envs(s)
  local out = {}
  if type(s.environments) ~= 'table' then return out end
  for name, e in pairs(s.environments) do
    if type(name) == 'string' and type(e) == 'table' then
      local parts = e
      if e['@parts'] ~= nil then parts = s end
      local deploy = 'None'
      if type(parts.deploy) == 'table' then deploy = str(parts.deploy.phase, 'None') end
      out[#out + 1] = {
        name = name,
        health = str(type(parts.health) == 'table' and parts.health.status or nil, 'Unknown'),
        sync = str(type(parts.sync) == 'table' and parts.sync.status or nil, 'Unknown'),
        deploy = deploy,
        activity = isoMs(e.lastActivityAt),
      }
    end
  end
  return out
end
local function unindexEnvs(P, app, old)
  for _, e in ipairs(envs(old)) do
    local E = P .. 'env:' .. e.name .. ':'
    redis.call('ZREM', E .. 'idx:activity', app)
    redis.call('HINCRBY', P .. 'envstats', e.name .. '|apps', -1)
    for _, dim in ipairs(ENV_DIMS) do
      if e[dim] ~= IMPLIED[dim] then redis.call('SREM', E .. 'tag:' .. dim .. ':' .. e[dim], app) end
      redis.call('HINCRBY', P .. 'envstats', e.name .. '|' .. dim .. '|' .. e[dim], -1)
    end
  end
end
local function indexEnvs(P, app, new)
  for _, e in ipairs(envs(new)) do
    local E = P .. 'env:' .. e.name .. ':'
    redis.call('ZADD', E .. 'idx:activity', e.activity, app)
    redis.call('HINCRBY', P .. 'envstats', e.name .. '|apps', 1)
    for _, dim in ipairs(ENV_DIMS) do
      if e[dim] ~= IMPLIED[dim] then
        redis.call('SADD', E .. 'tag:' .. dim .. ':' .. e[dim], app)
        redis.call('SADD', P .. 'tags:' .. dim, e[dim])
      end
      redis.call('HINCRBY', P .. 'envstats', e.name .. '|' .. dim .. '|' .. e[dim], 1)
    end
  end
end
local function unindex(P, app, old)
  local d = dims(old)
  redis.call('ZREM', P .. 'idx:name', app)
  redis.call('ZREM', P .. 'idx:activity', app)
  redis.call('ZREM', P .. 'idx:team:' .. d.team, app)
  redis.call('HINCRBY', P .. 'stats', d.team .. '|apps', -1)
  for _, dim in ipairs(DIMS) do
    if d[dim] ~= IMPLIED[dim] then redis.call('SREM', P .. 'tag:' .. dim .. ':' .. d[dim], app) end
    redis.call('HINCRBY', P .. 'stats', d.team .. '|' .. dim .. '|' .. d[dim], -1)
  end
  unindexEnvs(P, app, old)
end
local function index(P, app, new, activity)
  local d = dims(new)
  redis.call('ZADD', P .. 'idx:name', 0, app)
  redis.call('ZADD', P .. 'idx:activity', activity, app)
  redis.call('ZADD', P .. 'idx:team:' .. d.team, 0, app)
  redis.call('HINCRBY', P .. 'stats', d.team .. '|apps', 1)
  for _, dim in ipairs(DIMS) do
    if d[dim] ~= IMPLIED[dim] then
      redis.call('SADD', P .. 'tag:' .. dim .. ':' .. d[dim], app)
      redis.call('SADD', P .. 'tags:' .. dim, d[dim])
    end
    redis.call('HINCRBY', P .. 'stats', d.team .. '|' .. dim .. '|' .. d[dim], 1)
  end
  indexEnvs(P, app, new)
end
local function fenced(P, epoch)
  return redis.call('GET', P .. 'leader') ~= epoch
end
`;

/**
 * KEYS[1] = <prefix>leader; ARGV = prefix, epoch, app, summary JSON, last activity (ms), changes cap.
 * Writes one app's record and moves it between index entries and stat counters, all at once;
 * refused with FENCED unless `epoch` is still the current leader's. Returns 1 when written,
 * 0 when the record was already identical. A change is appended to the capped stream
 * `<prefix>changes` (type, app, team, epoch: the record itself is read from `app:<app>`, so the
 * stream costs tens of bytes per change) for every replica's `/stream` to fan out and replay.
 */
export const UPSERT_LUA = `${LUA_INDEX_HELPERS}
local P, epoch, app, json, activity = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if fenced(P, epoch) then return redis.error_reply('FENCED not the current leader') end
local key = P .. 'app:' .. app
local before = redis.call('GET', key)
if before == json then return 0 end
if before then unindex(P, app, cjson.decode(before)) end
local new = cjson.decode(json)
index(P, app, new, activity)
redis.call('SET', key, json)
redis.call('XADD', P .. 'changes', 'MAXLEN', '~', ARGV[6], '*', 'type', 'upsert', 'app', app, 'team', dims(new).team, 'epoch', epoch)
return 1
`;

/** KEYS[1] = <prefix>leader; ARGV = prefix, epoch, app, changes cap. Removes an app with its index entries. */
export const REMOVE_LUA = `${LUA_INDEX_HELPERS}
local P, epoch, app = ARGV[1], ARGV[2], ARGV[3]
if fenced(P, epoch) then return redis.error_reply('FENCED not the current leader') end
local key = P .. 'app:' .. app
local before = redis.call('GET', key)
if not before then return 0 end
local old = cjson.decode(before)
unindex(P, app, old)
redis.call('DEL', key)
redis.call('XADD', P .. 'changes', 'MAXLEN', '~', ARGV[4], '*', 'type', 'delete', 'app', app, 'team', dims(old).team, 'epoch', epoch)
return 1
`;

/**
 * A leader claiming Redis written by an older version brings the state filters up to date once,
 * from the records themselves (a resync skips records that did not change, so it would not).
 * Layout 1 kept them as sorted sets under idx:<dim>:<value>; layout 2 as tag sets including the
 * usual states. Every value ever used is named in the stats counters (<team>|<dim>|<value>),
 * which finds the old keys to delete and the values for `tags:<dim>`.
 *
 * Layout 4 adds the environments' indexes (`env:<environment>:...`, `envstats`). Versions before
 * it neither write nor remove them: after one of them led (a rolling update going back and
 * forth), what they left is rebuilt from the records. When `envstats` is empty no environment was
 * ever indexed and there is nothing to walk (the usual first claim after the update: its resync
 * then rewrites every record, now with its environments).
 *
 * Layout 5: a one-environment app's parts may be stored once (`@parts`, see stored-record.ts,
 * written when SUMMARY_SHARED_PARTS is on). A version before it reads such an environment as
 * Unknown health and sync, deploy None. Claiming Redis such a version last led (layout 4 or
 * older), this version rebuilds the environments' indexes from the records by its own reading.
 * The other way round, a layout-4 leader takes 5 for layout 1: it runs the (harmless) tag
 * migration, then rebuilds the environments' indexes by its reading, which its resync's rewrites
 * of those records (every one differs from what it writes) then move consistently; until then
 * its environment filters and counts take those apps as Unknown. Each rebuild reads every record
 * once inside the claim script (about a second of Redis at 50,000 apps).
 */
const LAYOUT_MIGRATION_LUA = `
local layout = redis.call('GET', P .. 'layout')
if layout ~= '3' and layout ~= '4' and layout ~= '5' then
  local values = {}
  for _, field in ipairs(redis.call('HKEYS', P .. 'stats')) do
    local dim, value = string.match(field, '^[^|]*|([a-z]+)|(.*)$')
    if dim then values[#values + 1] = {dim, value} end
  end
  if layout ~= '2' then
    for _, dv in ipairs(values) do redis.call('DEL', P .. 'idx:' .. dv[1] .. ':' .. dv[2]) end
    for _, app in ipairs(redis.call('ZRANGE', P .. 'idx:name', 0, -1)) do
      local record = redis.call('GET', P .. 'app:' .. app)
      if record then
        local d = dims(cjson.decode(record))
        for _, dim in ipairs(DIMS) do
          if d[dim] ~= IMPLIED[dim] then redis.call('SADD', P .. 'tag:' .. dim .. ':' .. d[dim], app) end
        end
      end
    end
  end
  for dim, value in pairs(IMPLIED) do redis.call('DEL', P .. 'tag:' .. dim .. ':' .. value) end
  for _, dv in ipairs(values) do
    if IMPLIED[dv[1]] ~= nil and IMPLIED[dv[1]] ~= dv[2] then redis.call('SADD', P .. 'tags:' .. dv[1], dv[2]) end
  end
end
if layout ~= '5' then
  local fields = redis.call('HKEYS', P .. 'envstats')
  if #fields > 0 then
    for _, field in ipairs(fields) do
      local env, dim, value = string.match(field, '^([^|]*)|([a-z]+)|(.*)$')
      if env then redis.call('DEL', P .. 'env:' .. env .. ':tag:' .. dim .. ':' .. value)
      else redis.call('DEL', P .. 'env:' .. string.match(field, '^([^|]*)') .. ':idx:activity') end
    end
    redis.call('DEL', P .. 'envstats')
    for _, app in ipairs(redis.call('ZRANGE', P .. 'idx:name', 0, -1)) do
      local record = redis.call('GET', P .. 'app:' .. app)
      if record then indexEnvs(P, app, cjson.decode(record)) end
    end
  end
  redis.call('SET', P .. 'layout', '5')
end
`;

/**
 * KEYS[1] = <prefix>leader; ARGV = prefix, floor (0: none). A new leader's fencing token: every
 * older one is refused from now on. `floor` is the epoch a leader held in a Redis that went back
 * (a failover lost its claim, or a restart from an older snapshot): the counter may have gone
 * back with it, and the new epoch must still be above every one handed out before.
 */
export const CLAIM_LUA = `${LUA_INDEX_HELPERS}
local P = ARGV[1]
local epoch = redis.call('INCR', P .. 'epoch')
local floor = tonumber(ARGV[2]) or 0
if epoch <= floor then
  epoch = floor + 1
  redis.call('SET', P .. 'epoch', tostring(epoch))
end
redis.call('SET', P .. 'leader', tostring(epoch))
${LAYOUT_MIGRATION_LUA}
return epoch
`;

/** KEYS[1] = <prefix>leader; ARGV = prefix, epoch, field, value... Leader-only metadata (sources, freshness). */
export const META_LUA = `
local P, epoch = ARGV[1], ARGV[2]
if redis.call('GET', P .. 'leader') ~= epoch then return redis.error_reply('FENCED not the current leader') end
local key = P .. ARGV[3]
for i = 4, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
return 1
`;

/**
 * KEYS[1] = <prefix>leader; ARGV = prefix, epoch, last (the count Redis last answered this leader,
 * -1 for none). Counts one more write of the current leader and answers the count
 * (write-sequence.ts); fenced, so a deposed leader's pipeline cannot move it. Refused with LOST,
 * without counting, while the count is below `last`: writes Redis acknowledged are gone, and
 * counting on top of them could make a later count look as if nothing was.
 */
export const SEQUENCE_LUA = `
local P, epoch, last = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('GET', P .. 'leader') ~= epoch then return redis.error_reply('FENCED not the current leader') end
local count = tonumber(redis.call('GET', P .. 'writes') or '0')
if count < last then
  return redis.error_reply('LOST Redis counts ' .. count .. ' writes of this leader, it had answered ' .. last)
end
return redis.call('INCR', P .. 'writes')
`;
