#include "governance/redis_counter_scripts.h"

namespace switchyard::governance {

const redis::Script& RateScript() {
  static const redis::Script script(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local add = ARGV[1] == 'add'
local window = 60000000
local old, new, step = {}, {}, {}
local refused, retry = 0, 0
for i = 1, #KEYS do
  local per_minute = tonumber(ARGV[2 * i])
  local amount = tonumber(ARGV[2 * i + 1])
  local interval = window / per_minute
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local start = math.max(tat, now)
  local wanted = start + math.max(amount, 1) * interval
  if not add and refused == 0 and wanted - now > window + 0.001 then
    refused = i
    retry = math.max(1, math.ceil((wanted - window - now) / 1000))
  end
  old[i] = tat
  new[i] = start + amount * interval
  step[i] = interval
end
local out = {refused, retry}
for i = 1, #KEYS do
  local tat = old[i]
  if refused == 0 then
    tat = new[i]
    if tat > now then
      redis.call('SET', KEYS[i], string.format('%.3f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
    end
  end
  local after = math.max(tat, now)
  local remaining = math.floor((now + window - after) / step[i] + 1e-9)
  if remaining < 0 then remaining = 0 end
  out[#out + 1] = remaining
  out[#out + 1] = math.ceil((after - now) / 1000)
end
return out
)lua");
  return script;
}

const redis::Script& ReserveScript() {
  static const redis::Script script(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, nanos, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local n = #KEYS / 3
-- Reservations whose gateway never settled them (it died) are given back once they expire.
local function purge(spend, resv, amounts)
  for _, rid in ipairs(redis.call('ZRANGEBYSCORE', resv, '-inf', now)) do
    local amount = tonumber(redis.call('HGET', amounts, rid) or '0')
    redis.call('HINCRBY', spend, 'reserved', -amount)
    redis.call('HDEL', amounts, rid)
    redis.call('ZREM', resv, rid)
  end
end
local function spent(spend, first, last)
  if last < 0 then return tonumber(redis.call('HGET', spend, 'total') or '0') end
  local fields = {}
  for day = first, last - 1 do fields[#fields + 1] = tostring(day) end
  local sum = 0
  for _, v in ipairs(redis.call('HMGET', spend, unpack(fields))) do sum = sum + tonumber(v or '0') end
  return sum
end
local refused, committed_out, soft = 0, 0, {}
for i = 1, n do
  local spend, resv, amounts = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  purge(spend, resv, amounts)
  local limit, hard = tonumber(ARGV[4 * i]), ARGV[4 * i + 1] == '1'
  local first, last = tonumber(ARGV[4 * i + 2]), tonumber(ARGV[4 * i + 3])
  local committed = spent(spend, first, last) + tonumber(redis.call('HGET', spend, 'reserved') or '0')
  if committed + nanos > limit then
    if not hard then
      soft[#soft + 1] = i
    elseif refused == 0 then
      refused, committed_out = i, committed
    end
  end
end
if refused > 0 then return {refused, committed_out} end
if nanos > 0 then
  for i = 1, n do
    local spend, resv, amounts = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
    redis.call('HINCRBY', spend, 'reserved', nanos)
    redis.call('ZADD', resv, now + ttl, id)
    redis.call('HSET', amounts, id, nanos)
  end
end
local out = {0, 0}
for _, i in ipairs(soft) do out[#out + 1] = i end
return out
)lua");
  return script;
}

const redis::Script& SettleScript() {
  static const redis::Script script(R"lua(
local id, reserved_scopes, actual, day = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
for i = 1, reserved_scopes do
  local spend, resv, amounts = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local amount = redis.call('HGET', amounts, id)
  if amount then
    redis.call('HINCRBY', spend, 'reserved', -tonumber(amount))
    redis.call('HDEL', amounts, id)
    redis.call('ZREM', resv, id)
  end
end
if actual ~= '0' then
  for i = 3 * reserved_scopes + 1, #KEYS do
    redis.call('HINCRBY', KEYS[i], day, actual)
    redis.call('HINCRBY', KEYS[i], 'total', actual)
  end
end
return 1
)lua");
  return script;
}

const redis::Script& SpentScript() {
  static const redis::Script script(R"lua(
local first, last = tonumber(ARGV[1]), tonumber(ARGV[2])
if last < 0 then return tonumber(redis.call('HGET', KEYS[1], 'total') or '0') end
local fields = {}
for day = first, last - 1 do fields[#fields + 1] = tostring(day) end
local sum = 0
for _, v in ipairs(redis.call('HMGET', KEYS[1], unpack(fields))) do sum = sum + tonumber(v or '0') end
return sum
)lua");
  return script;
}

}  // namespace switchyard::governance
