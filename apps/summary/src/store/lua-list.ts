import { IMPLIED_STATES_LUA } from './lua-implied-states';

/**
 * KEYS[1] = <prefix>idx:name. ARGV = prefix, sort ('name'|'activity'), limit, cursor, q, team
 * scope ('all', or 'listed': only the teams in ARGV[14..], already narrowed to what the caller may
 * see), health, sync, build, deploy, scan budget, gather limit, environment ('' for none), then
 * the teams, one per argument. A team is never parsed out of a joined string: a name holding a
 * separator or a pattern would widen the list ('listed' with no team lists nothing).
 *
 * With an environment, only its apps are listed (its `env:<environment>:idx:activity` holds
 * them), health, sync and deploy are that environment's (its tag sets) and newest first is by its
 * activity (that index's scores); build, team and name are the app's.
 *
 * One round-trip for a page. When some condition leaves few candidates (a state's tag set, the
 * caller's team sets, or the name-prefix range: at most the gather limit), the script reads them all,
 * keeps those meeting every condition and orders them itself. Otherwise it walks an ordered index
 * (the name index or the team sets for name order, the activity index for newest first) from the
 * cursor, checking the other conditions by membership. It never reads more than the scan budget
 * of index entries: a page may then come back short, with a cursor to go on.
 * Returns { nextCursor|false, record... }. Redis is shared by every replica, so the records go
 * back as stored and each replica splices them into its response (no concatenation in Redis).
 */
export const LIST_LUA = `
local P, sort, limit, cursor, q = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local GATHER_MAX = tonumber(ARGV[12])
local env = ARGV[13]
-- Where the environment's indexes are (the app's own without one), and its activity index.
local E = P
if env ~= '' then E = P .. 'env:' .. env .. ':' end
local ACTIVITY = E .. 'idx:activity'
local teams = {}
if ARGV[6] == 'listed' then
  for i = 14, #ARGV do teams[#teams + 1] = ARGV[i] end
  if #teams == 0 then return { false } end
elseif ARGV[6] ~= 'all' then
  return redis.error_reply('team scope must be all or listed')
end
${IMPLIED_STATES_LUA}
-- Sets an app must be in, and sets it must not be in (a filter on a usual state, which has none).
local tags, excluded = {}, {}
local dims = {'health', 'sync', 'build', 'deploy'}
for i, dim in ipairs(dims) do
  local value = ARGV[6 + i]
  -- Builds are the app's, whatever the environment.
  local D = E
  if dim == 'build' then D = P end
  if value == IMPLIED[dim] then
    for _, other in ipairs(redis.call('SMEMBERS', P .. 'tags:' .. dim)) do
      if other ~= value then excluded[#excluded + 1] = D .. 'tag:' .. dim .. ':' .. other end
    end
  elseif value ~= '' then tags[#tags + 1] = D .. 'tag:' .. dim .. ':' .. value end
end
local budget = tonumber(ARGV[11])
local qEnd = q .. '\\255'
local scanned = 0

-- Whether an app meets every condition; from names the set the candidates came from, whose
-- condition holds already ('team' or 'env').
local function ok(name, from)
  if q ~= '' and string.sub(name, 1, #q) ~= q then return false end
  if env ~= '' and from ~= 'env' and not redis.call('ZSCORE', ACTIVITY, name) then return false end
  for _, key in ipairs(tags) do
    if redis.call('SISMEMBER', key, name) == 0 then return false end
  end
  for _, key in ipairs(excluded) do
    if redis.call('SISMEMBER', key, name) == 1 then return false end
  end
  if #teams > 0 and from ~= 'team' then
    for _, t in ipairs(teams) do
      if redis.call('ZSCORE', P .. 'idx:team:' .. t, name) then return true end
    end
    return false
  end
  return true
end

-- How many apps each way of gathering candidates would read.
local nameSize
if q ~= '' then nameSize = redis.call('ZLEXCOUNT', KEYS[1], '[' .. q, '[' .. qEnd)
else nameSize = redis.call('ZCARD', KEYS[1]) end
local tagKey, tagSize = nil, nil
for _, key in ipairs(tags) do
  local n = redis.call('SCARD', key)
  if tagSize == nil or n < tagSize then tagKey, tagSize = key, n end
end
local teamSize = nil
if #teams > 0 then
  teamSize = 0
  for _, t in ipairs(teams) do teamSize = teamSize + redis.call('ZCARD', P .. 'idx:team:' .. t) end
end
local activitySize = redis.call('ZCARD', ACTIVITY)
local envSize = nil
if env ~= '' then envSize = activitySize end

-- The smallest candidate set, read whole when small enough; nil when every one is too big.
local function gather()
  local best, size = 'name', nameSize
  if tagSize ~= nil and tagSize < size then best, size = 'tag', tagSize end
  if teamSize ~= nil and teamSize < size then best, size = 'team', teamSize end
  if envSize ~= nil and envSize < size then best, size = 'env', envSize end
  if size > GATHER_MAX then return nil end
  -- In name order the name range and the team sets are already ordered: walked page by page, a
  -- page reads about its own length instead of every candidate (a tag set or an environment's
  -- index, not in name order, is read whole).
  if sort == 'name' and best ~= 'tag' and best ~= 'env' then return nil end
  -- Newest first over most apps: walking the activity index finds a page sooner.
  if sort ~= 'name' and size * 4 >= activitySize then return nil end
  local names = {}
  if best == 'tag' then names = redis.call('SMEMBERS', tagKey)
  elseif best == 'env' then names = redis.call('ZRANGE', ACTIVITY, 0, -1)
  elseif best == 'team' then
    for _, t in ipairs(teams) do
      for _, n in ipairs(redis.call('ZRANGEBYLEX', P .. 'idx:team:' .. t, '-', '+')) do names[#names + 1] = n end
    end
  elseif q ~= '' then names = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. q, '[' .. qEnd)
  else names = redis.call('ZRANGEBYLEX', KEYS[1], '-', '+') end
  local kept = {}
  for _, name in ipairs(names) do if ok(name, best) then kept[#kept + 1] = name end end
  return kept
end

-- Walks one lex-ordered set after the cursor; returns up to limit+1 matches and where the budget
-- stopped it. source names the set for ok() ('team': its members need no team check).
local function walkLex(key, source)
  local found = {}
  local from = '-'
  if q ~= '' then from = '[' .. q end
  if cursor ~= '' and (q == '' or cursor >= q) then from = '(' .. cursor end
  local to = '+'
  if q ~= '' then to = '[' .. qEnd end
  local batch = math.max(limit * 2, 64)
  while #found <= limit do
    local names = redis.call('ZRANGEBYLEX', key, from, to, 'LIMIT', 0, batch)
    for _, name in ipairs(names) do
      scanned = scanned + 1
      if ok(name, source) then found[#found + 1] = name end
      if #found > limit then break end
      from = '(' .. name
    end
    if #names < batch or #found > limit then break end
    if scanned >= budget and #found <= limit then return found, string.sub(from, 2) end
  end
  return found, nil
end

local cs, cn = nil, nil
if sort == 'activity' and cursor ~= '' then
  local sep = string.find(cursor, '|', 1, true)
  cs, cn = tonumber(string.sub(cursor, 1, sep - 1)), string.sub(cursor, sep + 1)
end
local function after(score, name)
  if cs == nil then return true end
  return score < cs or (score == cs and name < cn)
end
local function before(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[1] > b[1]
end

-- Walks the activity index (the environment's with one: its apps only) newest first after the cursor.
local function walkScore(key)
  local found = {}
  local max = '+inf'
  if cs ~= nil then max = tostring(cs) end
  local offset, batch = 0, math.max(limit * 2, 64)
  local last = nil
  while #found <= limit do
    local rows = redis.call('ZREVRANGEBYSCORE', key, max, '-inf', 'WITHSCORES', 'LIMIT', offset, batch)
    for i = 1, #rows, 2 do
      local name, score = rows[i], tonumber(rows[i + 1])
      scanned = scanned + 1
      if after(score, name) and ok(name, 'env') then found[#found + 1] = {name, score} end
      last = {name, score}
      if #found > limit then break end
    end
    offset = offset + batch
    if #rows < batch * 2 or #found > limit then break end
    if scanned >= budget then return found, last end
  end
  return found, nil
end

local page, resume = {}, nil
local candidates = gather()
if sort == 'name' then
  local found, stopAt = {}, nil
  if candidates ~= nil then
    for _, name in ipairs(candidates) do
      if cursor == '' or name > cursor then found[#found + 1] = name end
    end
  else
    local drivers = {{KEYS[1], nil}}
    if teamSize ~= nil and teamSize < nameSize then
      drivers = {}
      for _, t in ipairs(teams) do drivers[#drivers + 1] = {P .. 'idx:team:' .. t, 'team'} end
    end
    for _, d in ipairs(drivers) do
      local part, stop = walkLex(d[1], d[2])
      for _, n in ipairs(part) do found[#found + 1] = n end
      if stop and (stopAt == nil or stop < stopAt) then stopAt = stop end
    end
  end
  table.sort(found)
  -- A driver that ran out of budget has not looked past stopAt: nothing after it is certain yet.
  local n = 0
  for _, name in ipairs(found) do
    if n >= limit or (stopAt and name > stopAt) then break end
    n = n + 1
    page[n] = name
  end
  if #found > n or stopAt then resume = page[n] or stopAt end
  if stopAt and n < limit then resume = stopAt end
else
  local found, stopAt = {}, nil
  if candidates ~= nil and #candidates > 0 then
    local scores = redis.call('ZMSCORE', ACTIVITY, unpack(candidates))
    for i, name in ipairs(candidates) do
      local score = tonumber(scores[i]) or 0
      if after(score, name) then found[#found + 1] = {name, score} end
    end
  elseif candidates == nil then
    found, stopAt = walkScore(ACTIVITY)
  end
  table.sort(found, before)
  local n = 0
  for _, row in ipairs(found) do
    if n >= limit or (stopAt and before(stopAt, row)) then break end
    n = n + 1
    page[n] = row[1]
  end
  local last = found[n]
  if stopAt and n < limit then last = stopAt end
  if last and (#found > n or stopAt) then resume = string.format('%.17g', last[2]) .. '|' .. last[1] end
end

local out = { resume or false }
for _, name in ipairs(page) do out[#out + 1] = redis.call('GET', P .. 'app:' .. name) or '' end
return out
`;
