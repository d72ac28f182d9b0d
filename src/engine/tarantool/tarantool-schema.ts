/**
 * The Lua the node installs on every Tarantool shard it connects to (EVAL, idempotent): the spaces and the
 * `centrifuge` functions the engine calls, after the layout of Centrifugo's Tarantool engine
 * (tarantool-centrifuge): `pubs` holds history publications, `meta` each stream's top offset and epoch,
 * `presence` (temporary, not persisted) who is in a channel; PUB/SUB runs through `centrifuge.get_messages`,
 * a long poll that hands each subscriber its queued messages `{type, channel, offset, epoch, data[, prev]}`
 * with box.session.push. Ringcast adds `results` for idempotent publishes, stream-wide history expiry, delta
 * (the previous publication in the message), and control subscriptions apart from channel names.
 * Publication payloads are protobuf bytes kept in `string` fields, as Centrifugo keeps them.
 */
export const schemaVersion = 'ringcast-1';

export const schemaLua = String.raw`
local version = ...
local clock = require('clock')
local fiber = require('fiber')

local function space(name, options, format, indexes)
  options.if_not_exists = true
  options.format = format
  local s = box.schema.space.create(name, options)
  for _, index in ipairs(indexes) do
    index[2].if_not_exists = true
    s:create_index(index[1], index[2])
  end
end

space('pubs', {}, {
  {name = 'channel', type = 'string'}, {name = 'offset', type = 'unsigned'}, {name = 'data', type = 'string'},
}, {
  {'primary', {parts = {{1, 'string'}, {2, 'unsigned'}}}},
})
space('meta', {}, {
  {name = 'channel', type = 'string'}, {name = 'offset', type = 'unsigned'}, {name = 'epoch', type = 'string'},
  {name = 'exp', type = 'number'}, {name = 'stream_exp', type = 'number'},
}, {
  {'primary', {parts = {{1, 'string'}}}},
  {'exp', {parts = {{4, 'number'}, {1, 'string'}}}},
  {'stream_exp', {parts = {{5, 'number'}, {1, 'string'}}}},
})
space('presence', {temporary = true}, {
  {name = 'channel', type = 'string'}, {name = 'client_id', type = 'string'}, {name = 'user_id', type = 'string'},
  {name = 'data', type = 'string'}, {name = 'exp', type = 'number'},
}, {
  {'primary', {parts = {{1, 'string'}, {2, 'string'}}}},
  {'exp', {parts = {{5, 'number'}, {1, 'string'}, {2, 'string'}}}},
})
space('results', {}, {
  {name = 'channel', type = 'string'}, {name = 'key', type = 'string'}, {name = 'offset', type = 'unsigned'},
  {name = 'epoch', type = 'string'}, {name = 'exp', type = 'number'},
}, {
  {'primary', {parts = {{1, 'string'}, {2, 'string'}}}},
  {'exp', {parts = {{5, 'number'}, {1, 'string'}, {2, 'string'}}}},
})

local centrifuge = rawget(_G, 'centrifuge') or {}
rawset(_G, 'centrifuge', centrifuge)
centrifuge.version = version
-- Subscriber state survives a re-install (another node, or a newer version, installing again).
centrifuge.channel_to_ids = centrifuge.channel_to_ids or {}
centrifuge.id_to_channels = centrifuge.id_to_channels or {}
centrifuge.control_to_ids = centrifuge.control_to_ids or {}
centrifuge.id_to_messages = centrifuge.id_to_messages or {}
centrifuge.id_to_cond = centrifuge.id_to_cond or {}

local max_push = 1000
-- A subscriber that stopped polling must not grow without bound: beyond this its oldest messages go.
local max_queued = 100000

local function forget(table_of_sets, key, id)
  local set = table_of_sets[key]
  if set == nil then return end
  set[id] = nil
  if next(set) == nil then table_of_sets[key] = nil end
end

local function drop_subscriber(id)
  for key in pairs(centrifuge.id_to_channels[id] or {}) do
    forget(centrifuge.channel_to_ids, key, id)
    forget(centrifuge.control_to_ids, key, id)
  end
  centrifuge.id_to_channels[id] = nil
  centrifuge.id_to_messages[id] = nil
  local cond = centrifuge.id_to_cond[id]
  centrifuge.id_to_cond[id] = nil
  if cond ~= nil then cond:broadcast() end
end

local function on_disconnect()
  local id = box.session.storage.subscriber_id
  if id ~= nil then drop_subscriber(id) end
end
box.session.on_disconnect(on_disconnect, centrifuge.disconnect_trigger)
centrifuge.disconnect_trigger = on_disconnect

local function enqueue(ids, message)
  if ids == nil then return end
  for id in pairs(ids) do
    local queue = centrifuge.id_to_messages[id]
    if queue == nil then
      queue = {}
      centrifuge.id_to_messages[id] = queue
    end
    if #queue >= max_queued then table.remove(queue, 1) end
    queue[#queue + 1] = message
    local cond = centrifuge.id_to_cond[id]
    if cond ~= nil then cond:signal() end
  end
end

function centrifuge.register(id)
  local storage = box.session.storage
  if storage.subscriber_id ~= nil and storage.subscriber_id ~= id then drop_subscriber(storage.subscriber_id) end
  storage.subscriber_id = id
  centrifuge.id_to_cond[id] = centrifuge.id_to_cond[id] or fiber.cond()
  centrifuge.id_to_channels[id] = centrifuge.id_to_channels[id] or {}
  return version
end

local function registered(id)
  if box.session.storage.subscriber_id ~= id or centrifuge.id_to_cond[id] == nil then
    error('subscriber ' .. tostring(id) .. ' is not registered on this connection')
  end
end

local function subscribe_to(index, id, names)
  registered(id)
  local mine = centrifuge.id_to_channels[id]
  for _, name in ipairs(names) do
    local set = index[name]
    if set == nil then
      set = {}
      index[name] = set
    end
    set[id] = true
    mine[name] = true
  end
end

function centrifuge.subscribe(id, channels) subscribe_to(centrifuge.channel_to_ids, id, channels) end
function centrifuge.subscribe_control(id, names) subscribe_to(centrifuge.control_to_ids, id, names) end

function centrifuge.unsubscribe(id, channels)
  registered(id)
  local mine = centrifuge.id_to_channels[id]
  for _, channel in ipairs(channels) do
    forget(centrifuge.channel_to_ids, channel, id)
    mine[channel] = nil
  end
end

-- Waits up to timeout seconds for messages and pushes them (in order, in slices) until the time is up.
function centrifuge.get_messages(id, timeout)
  registered(id)
  local deadline = fiber.clock() + timeout
  while centrifuge.id_to_cond[id] ~= nil do
    local queue = centrifuge.id_to_messages[id]
    if queue ~= nil then
      centrifuge.id_to_messages[id] = nil
      for first = 1, #queue, max_push do
        local slice = {}
        for i = first, math.min(#queue, first + max_push - 1) do slice[#slice + 1] = queue[i] end
        local ok, err = box.session.push(slice)
        if not ok then error(err or 'push failed') end
      end
    else
      local left = deadline - fiber.clock()
      if left <= 0 then return true end
      centrifuge.id_to_cond[id]:wait(left)
    end
  end
  return true
end

local function clear_pubs(channel)
  local keys = {}
  for _, p in box.space.pubs.index.primary:pairs({channel}, {iterator = 'EQ'}) do keys[#keys + 1] = p[2] end
  for _, offset in ipairs(keys) do box.space.pubs:delete({channel, offset}) end
end

local function expired_meta(channel, now)
  local meta = box.space.meta:get(channel)
  if meta ~= nil and meta[4] > 0 and meta[4] <= now then
    clear_pubs(channel)
    box.space.meta:delete(channel)
    return nil
  end
  return meta
end

local function publish_in_stream(channel, data, size, ttl_ms, meta_ttl_ms, new_epoch, use_delta, now)
  local meta = expired_meta(channel, now)
  local meta_exp = 0
  if meta_ttl_ms > 0 then meta_exp = now + meta_ttl_ms / 1000 end
  local offset, epoch, prev = 1, new_epoch, nil
  if meta ~= nil then
    offset, epoch = meta[2] + 1, meta[3]
    if meta[5] <= now then
      clear_pubs(channel)
    elseif use_delta then
      local p = box.space.pubs:get({channel, meta[2]})
      if p ~= nil then prev = p[3] end
    end
  end
  box.space.meta:replace({channel, offset, epoch, meta_exp, now + ttl_ms / 1000})
  box.space.pubs:insert({channel, offset, data})
  if offset > size then
    local old = {}
    for _, p in box.space.pubs.index.primary:pairs({channel, offset - size}, {iterator = 'LE'}) do
      if p[1] ~= channel then break end
      old[#old + 1] = p[2]
    end
    for _, o in ipairs(old) do box.space.pubs:delete({channel, o}) end
  end
  return offset, epoch, prev
end

-- Returns {offset, epoch, suppressed}. With history (size > 0 and ttl > 0) the publication gets the next offset
-- of the channel's stream; it is queued for subscribers before the commit yields, so delivery order is offset order.
function centrifuge.publish(channel, data, size, ttl_ms, meta_ttl_ms, new_epoch, key, result_ttl_ms, use_delta)
  local now = clock.realtime()
  if key ~= '' then
    local r = box.space.results:get({channel, key})
    if r ~= nil and r[5] > now then return {r[3], r[4], true} end
  end
  local offset, epoch, prev = 0, '', nil
  box.begin()
  local ok, err = pcall(function()
    if size > 0 and ttl_ms > 0 then
      offset, epoch, prev = publish_in_stream(channel, data, size, ttl_ms, meta_ttl_ms, new_epoch, use_delta, now)
    end
    if key ~= '' then box.space.results:replace({channel, key, offset, epoch, now + result_ttl_ms / 1000}) end
  end)
  if not ok then
    box.rollback()
    error(err)
  end
  if use_delta and offset > 0 then
    enqueue(centrifuge.channel_to_ids[channel], {'d', channel, offset, epoch, data, prev or ''})
  else
    enqueue(centrifuge.channel_to_ids[channel], {'p', channel, offset, epoch, data})
  end
  box.commit()
  return {offset, epoch, false}
end

-- Join ('j') and leave ('l') events.
function centrifuge.publish_event(kind, channel, data)
  enqueue(centrifuge.channel_to_ids[channel], {kind, channel, 0, '', data})
end

function centrifuge.publish_control(name, data)
  enqueue(centrifuge.control_to_ids[name], {'c', name, 0, '', data})
end

-- Returns {top offset, epoch, {{offset, data}, ...}}. Forward: from 'from' (0 = the oldest) up; reverse: from
-- 'from' (0 = the top) down. Creates the meta of a channel without one, so its epoch holds from now on. One
-- transaction: the publications read and the position returned belong together.
local function read_history(channel, include, from, limit, reverse, meta_ttl_ms, new_epoch)
  local now = clock.realtime()
  local meta = expired_meta(channel, now)
  local meta_exp = 0
  if meta_ttl_ms > 0 then meta_exp = now + meta_ttl_ms / 1000 end
  if meta == nil then
    meta = box.space.meta:replace({channel, 0, new_epoch, meta_exp, 0})
  else
    meta = box.space.meta:update(channel, {{'=', 4, meta_exp}})
  end
  local top, epoch = meta[2], meta[3]
  local out = {}
  if not include then return {top, epoch, out} end
  if meta[5] <= now then
    clear_pubs(channel)
    return {top, epoch, out}
  end
  local start, iterator = from, 'GE'
  if reverse then
    iterator = 'LE'
    if start == 0 then start = top end
  end
  for _, p in box.space.pubs.index.primary:pairs({channel, start}, {iterator = iterator}) do
    if p[1] ~= channel then break end
    out[#out + 1] = {p[2], p[3]}
    if limit > 0 and #out >= limit then break end
  end
  return {top, epoch, out}
end

function centrifuge.history(channel, include, from, limit, reverse, meta_ttl_ms, new_epoch)
  box.begin()
  local ok, result = pcall(read_history, channel, include, from, limit, reverse, meta_ttl_ms, new_epoch)
  if not ok then
    box.rollback()
    error(result)
  end
  box.commit()
  return result
end

function centrifuge.remove_history(channel)
  box.begin()
  clear_pubs(channel)
  box.commit()
  return true
end

function centrifuge.add_presence(channel, ttl_ms, client_id, user_id, data)
  box.space.presence:replace({channel, client_id, user_id, data, clock.realtime() + ttl_ms / 1000})
  return true
end

function centrifuge.remove_presence(channel, client_id)
  box.space.presence:delete({channel, client_id})
  return true
end

-- Returns {{client_id, data}, ...} of live entries.
function centrifuge.presence(channel)
  local now = clock.realtime()
  local out = {}
  for _, p in box.space.presence.index.primary:pairs({channel}, {iterator = 'EQ'}) do
    if p[5] > now then out[#out + 1] = {p[2], p[4]} end
  end
  return out
end

-- Returns {clients, users}.
function centrifuge.presence_stats(channel)
  local now = clock.realtime()
  local clients, users, seen = 0, 0, {}
  for _, p in box.space.presence.index.primary:pairs({channel}, {iterator = 'EQ'}) do
    if p[5] > now then
      clients = clients + 1
      if not seen[p[3]] then
        seen[p[3]] = true
        users = users + 1
      end
    end
  end
  return {clients, users}
end

-- Reclaims memory of what expired (reads already ignore it): runs every second on a writable instance.
function centrifuge.sweep()
  if box.info.ro then return end
  local now = clock.realtime()
  local batch = 1000
  local metas, streams, presences, results = {}, {}, {}, {}
  for _, m in box.space.meta.index.exp:pairs({0}, {iterator = 'GT'}) do
    if m[4] > now or #metas >= batch then break end
    metas[#metas + 1] = m[1]
  end
  for _, m in box.space.meta.index.stream_exp:pairs({0}, {iterator = 'GT'}) do
    if m[5] > now or #streams >= batch then break end
    streams[#streams + 1] = m[1]
  end
  for _, p in box.space.presence.index.exp:pairs({now}, {iterator = 'LE'}) do
    if #presences >= batch then break end
    presences[#presences + 1] = {p[1], p[2]}
  end
  for _, r in box.space.results.index.exp:pairs({now}, {iterator = 'LE'}) do
    if #results >= batch then break end
    results[#results + 1] = {r[1], r[2]}
  end
  for _, channel in ipairs(metas) do
    box.begin()
    clear_pubs(channel)
    box.space.meta:delete(channel)
    box.commit()
  end
  for _, channel in ipairs(streams) do
    box.begin()
    local meta = box.space.meta:get(channel)
    if meta ~= nil and meta[5] > 0 and meta[5] <= now then
      clear_pubs(channel)
      box.space.meta:update(channel, {{'=', 5, 0}})
    end
    box.commit()
  end
  for _, key in ipairs(presences) do box.space.presence:delete(key) end
  for _, key in ipairs(results) do box.space.results:delete(key) end
end

if centrifuge.sweeper == nil or centrifuge.sweeper:status() == 'dead' then
  centrifuge.sweeper = fiber.create(function()
    fiber.name('ringcast-sweep')
    while true do
      fiber.sleep(1)
      local ok, err = pcall(centrifuge.sweep)
      if not ok then require('log').warn('ringcast sweep failed: %s', tostring(err)) end
    end
  end)
end

return version
`;
