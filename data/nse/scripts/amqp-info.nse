description = [[
Opens AMQP 0-9-1 (the protocol header "AMQP" 0 0 9 1, TCP 5672) and shows
the server properties of the Connection.Start method the broker sends
first (capabilities, product, version, platform, ...), its SASL
mechanisms and locales; the port's version record takes the product and
version. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(5672, "amqp")

local value

-- an AMQP field table at pos -> output table, next position
local function ftable(s, pos)
  local len = string.unpack(">I4", s, pos)
  local stop = pos + 4 + len
  pos = pos + 4
  local t = stdnse.output_table()
  while pos < stop do
    local n = s:byte(pos)
    local name = s:sub(pos + 1, pos + n)
    t[name], pos = value(s, pos + 1 + n)
  end
  return t, stop
end

local FIXED = {b = "i1", B = "I1", s = ">i2", u = ">I2", I = ">i4", i = ">I4", l = ">i8",
               L = ">I8", f = ">f", d = ">d", T = ">I8"}

value = function(s, pos)
  local typ = s:sub(pos, pos)
  pos = pos + 1
  if typ == "t" then return s:byte(pos) ~= 0 and "YES" or "NO", pos + 1 end
  if FIXED[typ] then
    local v, np = string.unpack(FIXED[typ], s, pos)
    return tostring(v), np
  end
  if typ == "S" or typ == "x" then
    local len = string.unpack(">I4", s, pos)
    return s:sub(pos + 4, pos + 3 + len), pos + 4 + len
  end
  if typ == "F" then return ftable(s, pos) end
  if typ == "A" then
    local len = string.unpack(">I4", s, pos)
    local stop, out = pos + 4 + len, {}
    pos = pos + 4
    while pos < stop do out[#out + 1], pos = value(s, pos) end
    return out, stop
  end
  if typ == "D" then
    local scale, v = string.unpack(">BI4", s, pos)
    return tostring(v / 10 ^ scale), pos + 5
  end
  if typ == "V" then return "", pos end
  error("unknown field type " .. typ)
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send("AMQP\0\0\9\1")
  local buf = ""
  while #buf < 7 or #buf < 8 + string.unpack(">I4", buf, 4) do
    local ok, d = sock:receive()
    if not ok then break end
    buf = buf .. d
  end
  sock:close()
  if #buf < 12 or buf:byte(1) ~= 1 then return nil end
  local size = string.unpack(">I4", buf, 4)
  if #buf < 8 + size or string.unpack(">I2I2", buf, 8) ~= 10 then return nil end
  local ok, out = pcall(function()
    local props, pos = ftable(buf, 14)
    local mech, p2 = value("S" .. buf:sub(pos), 1)
    local loc = value("S" .. buf:sub(pos + p2 - 2), 1)
    props["mechanisms"] = mech
    props["locales"] = loc
    return props
  end)
  if not ok then return nil end
  port.version = port.version or {}
  port.version.name = "amqp"
  port.version.product = out.product
  port.version.version = out.version
  nmap.set_port_version(host, port, "hardmatched")
  return out
end
