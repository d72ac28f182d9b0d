// The Lua scripts of the Redis engine. Their keys, hash fields, stream layout and PUB/SUB framing are those of
// Centrifugo's Redis engine (so Centrifugo nodes on the same shards read and write the same data); times are
// passed in milliseconds and set with PEXPIRE, which Centrifugo's second-based EXPIRE reads the same way.
// Stream meta hash: `e` epoch, `s` top offset. Stream entries: id `<offset>-0`, one field `d` holding the
// protobuf Publication. Idempotent result hash: `e` epoch, `s` offset. Presence: hash client → protobuf
// ClientInfo, sorted set client → expiry (Unix seconds), plus the optional per-user hash and sorted set.

/**
 * KEYS: any key of the channel (its hash tag routes the call). ARGV: pubsub channel, payload. A plain PUBLISH
 * for Redis Cluster: PUBLISH names no key, so it would go to any node and reach subscribers through the
 * cluster bus, overtaking publications of the same channel made by scripts on the channel's own node.
 */
export const publishOnSlotLua = `return redis.call('publish', ARGV[1], ARGV[2])`;

/**
 * KEYS: result. ARGV: payload, pubsub channel, result ttl ms ('' = no idempotency key).
 * Replies the number of receivers, or `{false, epoch}` (an array) when a previous publish with the key is
 * remembered and nothing was published.
 */
export const publishIdempotentLua = `
local result_ttl = ARGV[3]
if result_ttl ~= '' then
  local remembered = redis.call('hmget', KEYS[1], 'e', 's')
  if remembered[1] ~= false then
    return {remembered[2], remembered[1]}
  end
end
local receivers = redis.call('publish', ARGV[2], ARGV[1])
if result_ttl ~= '' then
  redis.call('hset', KEYS[1], 'e', '')
  redis.call('pexpire', KEYS[1], result_ttl)
end
return receivers
`;

/**
 * KEYS: stream, meta, result. ARGV: payload, max stream length, stream ttl ms, pubsub channel ('' = none),
 * meta ttl ms ('0' = keep), epoch for a new stream, result ttl ms ('' = no idempotency key), '1' = delta frame.
 * Replies {offset, epoch, '1' when remembered (nothing published) else '0'}.
 */
export const publishWithHistoryLua = `
local stream, meta, result = KEYS[1], KEYS[2], KEYS[3]
local payload, result_ttl = ARGV[1], ARGV[7]
if result_ttl ~= '' then
  local remembered = redis.call('hmget', result, 'e', 's')
  if remembered[1] ~= false then
    return {remembered[2], remembered[1], '1'}
  end
end
local epoch = redis.call('hget', meta, 'e')
if epoch == false then
  epoch = ARGV[6]
  redis.call('hset', meta, 'e', epoch)
end
local offset = redis.call('hincrby', meta, 's', 1)
if ARGV[5] ~= '0' then
  redis.call('pexpire', meta, ARGV[5])
end
local previous = ''
if offset == 1 then
  -- A new stream: whatever an evicted meta left behind belongs to another epoch.
  redis.call('del', stream)
elseif ARGV[8] == '1' then
  local last = redis.call('xrevrange', stream, '+', '-', 'COUNT', 1)
  if #last > 0 then
    local fields = last[1][2]
    for i = 1, #fields, 2 do
      if fields[i] == 'd' then
        previous = fields[i + 1]
        break
      end
    end
  end
end
redis.call('xadd', stream, 'MAXLEN', ARGV[2], offset, 'd', payload)
redis.call('pexpire', stream, ARGV[3])
if ARGV[4] ~= '' then
  local frame
  if ARGV[8] == '1' then
    frame = '__d1:' .. offset .. ':' .. epoch .. ':' .. #previous .. ':' .. previous .. ':' .. #payload .. ':' .. payload
  else
    frame = '__p1:' .. offset .. ':' .. epoch .. '__' .. payload
  end
  redis.call('publish', ARGV[4], frame)
end
if result_ttl ~= '' then
  redis.call('hset', result, 'e', epoch, 's', offset)
  redis.call('pexpire', result, result_ttl)
end
return {offset, epoch, '0'}
`;

/**
 * KEYS: stream, meta. ARGV: '1' = include publications, from offset ('0' = from the start/top), count ('0' = no
 * limit), '1' = reverse, meta ttl ms ('0' = keep), epoch for a new stream.
 * Replies {top offset, epoch, entries | nil}.
 */
export const historyLua = `
local stream, meta = KEYS[1], KEYS[2]
local position = redis.call('hmget', meta, 'e', 's')
local epoch, top = position[1], position[2]
if epoch == false then
  epoch = ARGV[6]
  top = 0
  redis.call('hset', meta, 'e', epoch)
end
if top == false then
  top = 0
end
if ARGV[5] ~= '0' then
  redis.call('pexpire', meta, ARGV[5])
end
local entries = nil
if ARGV[1] == '1' then
  local from = ARGV[2]
  if ARGV[4] == '0' then
    if ARGV[3] ~= '0' then
      entries = redis.call('xrange', stream, from, '+', 'COUNT', ARGV[3])
    else
      entries = redis.call('xrange', stream, from, '+')
    end
  else
    if from == '0' then
      from = top
    end
    if ARGV[3] ~= '0' then
      entries = redis.call('xrevrange', stream, from, '-', 'COUNT', ARGV[3])
    else
      entries = redis.call('xrevrange', stream, from, '-')
    end
  end
end
return {top, epoch, entries}
`;

/**
 * KEYS: expiry zset, data hash, user zset, user hash. ARGV: key ttl ms, expiry (Unix seconds, fractional),
 * client id, protobuf ClientInfo, user id, '1' = keep the per-user index.
 * Key lifetimes only ever grow here, so an entry with a short ttl never cuts a longer one short.
 */
export const addPresenceLua = `
local ttl = tonumber(ARGV[1])
local function extend(key)
  if redis.call('pttl', key) < ttl then
    redis.call('pexpire', key, ttl)
  end
end
local is_new = false
if ARGV[6] == '1' then
  is_new = redis.call('hexists', KEYS[2], ARGV[3]) == 0
end
redis.call('hset', KEYS[2], ARGV[3], ARGV[4])
extend(KEYS[2])
redis.call('zadd', KEYS[1], ARGV[2], ARGV[3])
extend(KEYS[1])
if ARGV[6] == '1' then
  if is_new then
    redis.call('hincrby', KEYS[4], ARGV[5], 1)
  end
  extend(KEYS[4])
  redis.call('zadd', KEYS[3], ARGV[2], ARGV[5])
  extend(KEYS[3])
end
return 1
`;

/** KEYS: expiry zset, data hash, user zset, user hash. ARGV: client id, user id, '1' = keep the per-user index. */
export const removePresenceLua = `
local existed = false
if ARGV[3] == '1' then
  existed = redis.call('hexists', KEYS[2], ARGV[1]) == 1
end
redis.call('hdel', KEYS[2], ARGV[1])
redis.call('zrem', KEYS[1], ARGV[1])
if existed then
  local left = redis.call('hincrby', KEYS[4], ARGV[2], -1)
  if left <= 0 then
    redis.call('zrem', KEYS[3], ARGV[2])
    redis.call('hdel', KEYS[4], ARGV[2])
  end
end
return 1
`;

/** KEYS: expiry zset, data hash. ARGV: now (Unix seconds, fractional). Drops expired entries, replies the hash. */
export const presenceLua = `
local function drop_expired(zset, hash, now)
  local expired = redis.call('zrangebyscore', zset, '0', now)
  for i = 1, #expired, 500 do
    redis.call('hdel', hash, unpack(expired, i, math.min(i + 499, #expired)))
  end
  if #expired > 0 then
    redis.call('zremrangebyscore', zset, '0', now)
  end
end
drop_expired(KEYS[1], KEYS[2], ARGV[1])
return redis.call('hgetall', KEYS[2])
`;

/** KEYS: expiry zset, data hash, user zset, user hash. ARGV: now. Replies {clients, users} from the user index. */
export const presenceStatsLua = `
local function drop_expired(zset, hash, now)
  local expired = redis.call('zrangebyscore', zset, '0', now)
  for i = 1, #expired, 500 do
    redis.call('hdel', hash, unpack(expired, i, math.min(i + 499, #expired)))
  end
  if #expired > 0 then
    redis.call('zremrangebyscore', zset, '0', now)
  end
end
drop_expired(KEYS[1], KEYS[2], ARGV[1])
drop_expired(KEYS[3], KEYS[4], ARGV[1])
return {redis.call('hlen', KEYS[2]), redis.call('hlen', KEYS[4])}
`;
