-- netkit's `stdnse` library (ours, written from nmap's documented NSE
-- API): debug and verbose lines, script arguments, output tables,
-- sleep, worker threads and small string helpers.
local nk = require "nk"
local nmap = require "nmap"
local sched = require "nse.sched"

local stdnse = {}

local function where()
  local t = sched.running()
  if not t then return nil end
  local s = t.script.id
  if t.host and t.port then
    return ("%s %s:%d"):format(s, t.host.ip, t.port.number)
  elseif t.host then
    return ("%s %s"):format(s, t.host.ip)
  end
  return s
end

local function log(kind, level, fmt, ...)
  if type(level) ~= "number" then
    return log(kind, 1, level, fmt, ...)
  end
  local have = kind == "debug" and nmap.debugging() or nmap.verbosity()
  if have < level then return end
  local msg = select("#", ...) > 0 and fmt:format(...) or tostring(fmt)
  local w = where()
  nk.say(w and ("NSE: [%s] %s"):format(w, msg) or ("NSE: " .. msg))
end

function stdnse.debug(level, fmt, ...) return log("debug", level, fmt, ...) end
for i = 1, 5 do
  stdnse["debug" .. i] = function(fmt, ...) return log("debug", i, fmt, ...) end
end
function stdnse.verbose(level, fmt, ...) return log("verbose", level, fmt, ...) end
for i = 1, 5 do
  stdnse["verbose" .. i] = function(fmt, ...) return log("verbose", i, fmt, ...) end
end
stdnse.print_debug = stdnse.debug
stdnse.print_verbose = stdnse.verbose

function stdnse.sleep(t) nk.sleep(t) end

-- the value of a script argument: "name", then SCRIPT_NAME.name
local function arg_value(name)
  local args = nmap.registry.args or {}
  if args[name] ~= nil then return args[name] end
  local t = sched.running()
  if t and args[t.script.id .. "." .. name] ~= nil then
    return args[t.script.id .. "." .. name]
  end
  -- nested tables: a.b.c
  local v = args
  for part in name:gmatch("[^.]+") do
    if type(v) ~= "table" then v = nil; break end
    v = v[part]
  end
  if v ~= nil then return v end
  -- a bare word (--script-args=name): its position, as nmap's
  for i, word in ipairs(args) do
    if word == name then return i end
  end
  return nil
end

function stdnse.get_script_args(...)
  local out = {}
  local n = select("#", ...)
  for i = 1, n do
    local a = select(i, ...)
    local v
    if type(a) == "table" then
      for _, name in ipairs(a) do
        v = arg_value(name)
        if v ~= nil then break end
      end
      if v == nil then v = a[2] ~= nil and a.default or nil end
    else
      v = arg_value(a)
    end
    out[i] = v
  end
  return table.unpack(out, 1, n)
end

-- a table that keeps its keys in insertion order (pairs follows it)
function stdnse.output_table()
  local keys, vals = {}, {}
  local mt = {}
  mt.__index = vals
  mt.__newindex = function(_, k, v)
    if vals[k] == nil and v ~= nil then
      keys[#keys + 1] = k
    elseif v == nil and vals[k] ~= nil then
      for i, kk in ipairs(keys) do
        if kk == k then table.remove(keys, i) break end
      end
    end
    vals[k] = v
  end
  mt.__len = function() return #vals end
  mt.__pairs = function(t)
    local i = 0
    return function()
      i = i + 1
      local k = keys[i]
      if k ~= nil then return k, vals[k] end
    end, t, nil
  end
  return setmetatable({}, mt)
end

-- the old layout of results: a string as it is, a table indented
function stdnse.format_output(status, data, indent)
  if type(data) == "string" then
    return data
  end
  if not status then
    return "ERROR: " .. tostring(data)
  end
  if data == nil then return nil end
  local lines = {}
  local function rec(t, ind)
    for _, v in ipairs(t) do
      if type(v) == "table" then
        if v.name then lines[#lines + 1] = ind .. tostring(v.name) end
        rec(v, ind .. "  ")
      else
        lines[#lines + 1] = ind .. tostring(v)
      end
    end
  end
  rec(data, indent and string.rep("  ", indent) or "  ")
  if #lines == 0 then return nil end
  return "\n" .. table.concat(lines, "\n") .. "\n"
end

-- stdnse.new_thread(f, ...): a worker beside the calling script
function stdnse.new_thread(f, ...)
  local parent = sched.running()
  local t = sched.spawn(parent.script, f, parent.host, parent.port, parent, ...)
  return t.co, function() return coroutine.status(t.co) end
end

function stdnse.base()
  local t = sched.running()
  return t and t.co
end

function stdnse.get_hostname(host)
  if type(host) == "table" then
    return host.targetname or (host.name ~= "" and host.name) or host.ip
  end
  return host
end

function stdnse.strsplit(pattern, text)
  local out, pos = {}, 1
  if text == "" then return out end
  while true do
    local s, e = text:find(pattern, pos)
    if not s then break end
    out[#out + 1] = text:sub(pos, s - 1)
    pos = e + 1
  end
  out[#out + 1] = text:sub(pos)
  return out
end

function stdnse.strjoin(delim, list) return table.concat(list, delim) end

function stdnse.tohex(s, opts)
  if type(s) == "number" then return ("%x"):format(s) end
  local h = s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)
  opts = opts or {}
  if opts.separator then
    local g = opts.group or 2
    local parts = {}
    for i = 1, #h, g do parts[#parts + 1] = h:sub(i, i + g - 1) end
    h = table.concat(parts, opts.separator)
  end
  return h
end

function stdnse.fromhex(h)
  h = h:gsub("[^%x]", "")
  return (h:gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end))
end

function stdnse.string_or_blank(s, blank)
  if s == nil or s == "" then return blank or "<blank>" end
  return s
end

function stdnse.in_port_range(port, range)
  for part in tostring(range):gmatch("[^,]+") do
    local a, b = part:match("^%s*(%d+)%s*%-%s*(%d+)%s*$")
    if a then
      if port.number >= tonumber(a) and port.number <= tonumber(b) then return true end
    elseif tonumber(part) == port.number then
      return true
    end
  end
  return false
end

-- seconds as nmap prints a duration: "0s", "-3s", "1h02m03s", "2d01h00m00s"
function stdnse.format_time(t)
  local neg = t < 0
  t = math.floor(math.abs(t) + 0.5)
  local d, h, m, s = t // 86400, t // 3600 % 24, t // 60 % 60, t % 60
  local out
  if d > 0 then out = ("%dd%02dh%02dm%02ds"):format(d, h, m, s)
  elseif h > 0 then out = ("%dh%02dm%02ds"):format(h, m, s)
  elseif m > 0 then out = ("%dm%02ds"):format(m, s)
  else out = ("%ds"):format(s) end
  return (neg and "-" or "") .. out
end

function stdnse.format_timestamp(t)
  return os.date("!%Y-%m-%dT%H:%M:%S", t)
end

function stdnse.keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  return out
end

function stdnse.contains(t, v)
  for k, x in pairs(t) do if x == v then return true, k end end
  return false
end

return stdnse
