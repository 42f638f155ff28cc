-- How each kind of request is built, and which answers acknowledge a write.
--
-- Reads from the table `plan` hangar-reliability prepends: `kind`, `users`
-- (seeded users user0..), `auth` (their Basic headers, indexed from 0),
-- `cookie` (a logged-in admin's session), `first` and `count` (the range of
-- seeded message ids this kind works on: read and changed in turn, or each
-- deleted once).

-- Requests this thread has built; with -t1 the one counter for all its
-- connections, so ids are never repeated within a range.
local built = 0

-- Seeded message `id` belongs to user `(id - 1) % users` (tweepee's seed).
local function owner_of(id)
  return plan.auth[(id - 1) % plan.users]
end

local function get(path, headers)
  return wrk.format("GET", path, headers or {})
end

local function cycled(i)
  return plan.first + i % plan.count
end

local kinds = {
  list = function(i)
    return get("/api/message/?limit=20&page=" .. (i % 10 + 1))
  end,
  filtered = function(i)
    return get("/api/message/?user__username=user" .. (i % plan.users) .. "&ordering=-pub_date")
  end,
  detail = function(i)
    return get("/api/message/" .. cycled(i) .. "/")
  end,
  create = function(i)
    local body = string.format('{"content": "load create %d", "pub_date": "2025-01-01T00:00:00"}', i)
    local headers = { ["Authorization"] = plan.auth[i % plan.users], ["Content-Type"] = "application/json" }
    return wrk.format("POST", "/api/message/", headers, body)
  end,
  change = function(i)
    local id = cycled(i)
    local body = string.format('{"content": "load change %d"}', i)
    local headers = { ["Authorization"] = owner_of(id), ["Content-Type"] = "application/json" }
    return wrk.format("PUT", "/api/message/" .. id .. "/", headers, body)
  end,
  delete = function(i)
    -- delay() grants at most `count` requests, so each id goes once.
    local id = plan.first + i
    return wrk.format("DELETE", "/api/message/" .. id .. "/", { ["Authorization"] = owner_of(id) })
  end,
  admin_list = function(i)
    return get("/admin/message/?page=" .. (i % 10 + 1), { ["Cookie"] = plan.cookie })
  end,
  admin_edit = function(i)
    return get("/admin/message/" .. cycled(i) .. "/", { ["Cookie"] = plan.cookie })
  end,
}

local build = kinds[plan.kind]
if build == nil then
  error("hangar-reliability: no kind of request called " .. tostring(plan.kind))
end

-- wrk (4.1) calls request() once in each thread before the first delay()
-- and never sends what it returns; every request it does send follows a
-- go-ahead from delay(). So a call without an unused go-ahead takes no id:
-- otherwise the first id of every range would never be sent, and a delete
-- would run one id past its range, into messages the creates made.
function request()
  if built >= tally.granted then
    return build(built)
  end
  local req = build(built)
  built = built + 1
  tally.issued = tally.issued + 1
  return req
end

-- A create is acknowledged by 201 (with the object); a delete by 200 with
-- `{"deleted": 1}`. Nothing else writes rows that are counted.
function acknowledged(status, body)
  if plan.kind == "create" then
    return status == 201
  elseif plan.kind == "delete" then
    return status == 200 and body ~= nil and body:find('"deleted"%s*:%s*1[^%d]') ~= nil
  end
  return false
end
