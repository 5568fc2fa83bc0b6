/**
 * KEYS[1] = <prefix>idx:name. ARGV = prefix, sort ('name'|'activity'), limit, cursor, q, teams
 * ('*' or comma list, already narrowed to what the caller may see), health, sync, build, deploy,
 * scan budget.
 *
 * One round-trip for a page: picks the smallest index that can drive the requested order (a
 * filter's set, the name-prefix range, the caller's team sets, or the whole index), walks it from
 * the cursor checking the other filters by ZSCORE, and returns the records. Never reads more than
 * the scan budget of index entries: a page may then come back short, with a cursor to go on.
 * Returns { nextCursor|false, record... }. Redis is shared by every replica, so the records go
 * back as stored and each replica splices them into its response (no concatenation in Redis).
 */
export const LIST_LUA = `
local P, sort, limit, cursor, q = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local teams = {}
if ARGV[6] ~= '*' then for t in string.gmatch(ARGV[6], '[^,]+') do teams[#teams + 1] = t end end
local filters = {}
local dims = {'health', 'sync', 'build', 'deploy'}
for i, dim in ipairs(dims) do
  if ARGV[6 + i] ~= '' then filters[#filters + 1] = P .. 'idx:' .. dim .. ':' .. ARGV[6 + i] end
end
local budget = tonumber(ARGV[11])
local qEnd = q .. '\\255'
local scanned = 0

local function ok(name, skipKey)
  if q ~= '' and string.sub(name, 1, #q) ~= q then return false end
  for _, key in ipairs(filters) do
    if key ~= skipKey and not redis.call('ZSCORE', key, name) then return false end
  end
  if #teams > 0 then
    for _, t in ipairs(teams) do
      if redis.call('ZSCORE', P .. 'idx:team:' .. t, name) then return true end
    end
    return false
  end
  return true
end

-- Walks one lex-ordered set after the cursor; returns up to limit+1 matches and whether the budget ran out.
local function walkLex(key, skipKey)
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
      if ok(name, skipKey) then found[#found + 1] = name end
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

-- Walks one score-ordered set (newest first) after the cursor.
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
      if after(score, name) and ok(name, nil) then found[#found + 1] = {name, score} end
      last = {name, score}
      if #found > limit then break end
    end
    offset = offset + batch
    if #rows < batch * 2 or #found > limit then break end
    if scanned >= budget then return found, last end
  end
  return found, nil
end

-- The smallest lex set able to drive: a filter's set, the q range of the name index, or the name index.
local lexKey, lexSize, skip = KEYS[1], nil, nil
if q ~= '' then lexSize = redis.call('ZLEXCOUNT', KEYS[1], '[' .. q, '[' .. qEnd)
else lexSize = redis.call('ZCARD', KEYS[1]) end
for _, key in ipairs(filters) do
  local n = redis.call('ZCARD', key)
  if n < lexSize then lexKey, lexSize, skip = key, n, key end
end
local teamSize = 0
for _, t in ipairs(teams) do teamSize = teamSize + redis.call('ZCARD', P .. 'idx:team:' .. t) end

local page, resume = {}, nil
if sort == 'name' then
  local found, stopAt = {}, nil
  local drivers = {{lexKey, skip}}
  if #teams > 0 and teamSize < lexSize then
    drivers = {}
    for _, t in ipairs(teams) do drivers[#drivers + 1] = {P .. 'idx:team:' .. t, nil} end
  end
  for _, d in ipairs(drivers) do
    local part, stop = walkLex(d[1], d[2])
    for _, n in ipairs(part) do found[#found + 1] = n end
    if stop and (stopAt == nil or stop < stopAt) then stopAt = stop end
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
  local driverSize = redis.call('ZCARD', P .. 'idx:activity')
  -- Few candidates (a small team, filter or prefix): read them all and order them here.
  local useTeams = #teams > 0 and teamSize < lexSize
  local candidates = useTeams and teamSize or lexSize
  if candidates <= 2000 and candidates * 4 < driverSize then
    local names = {}
    if useTeams then
      for _, t in ipairs(teams) do
        for _, n in ipairs(redis.call('ZRANGEBYLEX', P .. 'idx:team:' .. t, '-', '+')) do names[#names + 1] = n end
      end
    else
      local from, to = '-', '+'
      if q ~= '' and lexKey == KEYS[1] then from, to = '[' .. q, '[' .. qEnd end
      names = redis.call('ZRANGEBYLEX', lexKey, from, to)
    end
    local kept = {}
    for _, name in ipairs(names) do if ok(name, (not useTeams) and skip or nil) then kept[#kept + 1] = name end end
    if #kept > 0 then
      local scores = redis.call('ZMSCORE', P .. 'idx:activity', unpack(kept))
      for i, name in ipairs(kept) do
        local score = tonumber(scores[i]) or 0
        if after(score, name) then found[#found + 1] = {name, score} end
      end
    end
  else
    found, stopAt = walkScore(P .. 'idx:activity')
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
