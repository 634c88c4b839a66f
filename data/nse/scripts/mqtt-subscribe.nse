description = [[
Connects to an MQTT broker (MQTT 3.1.1, OASIS: CONNECT, SUBSCRIBE) without
credentials unless given, subscribes to a topic filter (script argument
mqtt-subscribe.topic, default "$SYS/#", the broker's own statistics),
listens for mqtt-subscribe.listen-msecs (default 5000) and shows each
topic with the last payload received. Where -sV named no product, the
broker's $SYS/broker/version becomes the port's. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({1883, 8883}, {"mqtt", "secure-mqtt"})

local function varint(n)
  local out = {}
  repeat
    local b = n % 128
    n = n // 128
    if n > 0 then b = b | 0x80 end
    out[#out + 1] = string.char(b)
  until n == 0
  return table.concat(out)
end

local function packet(kind, body) return string.char(kind) .. varint(#body) .. body end
local function mstr(s) return string.pack(">s2", s) end

local function connect_packet(id, user, pass)
  local flags = 0x02
  local payload = mstr(id)
  if user then flags = flags | 0x80; payload = payload .. mstr(user) end
  if user and pass then flags = flags | 0x40; payload = payload .. mstr(pass) end
  return packet(0x10, mstr("MQTT") .. string.char(4, flags) .. string.pack(">I2", 60) .. payload)
end

-- the next whole packet in buf: type byte, body, rest of buf (or nil,
-- nil, buf when it holds no whole packet yet)
local function next_packet(buf)
  if #buf < 2 then return nil, nil, buf end
  local len, mult, pos = 0, 1, 2
  repeat
    local b = buf:byte(pos)
    if not b then return nil, nil, buf end
    len = len + (b & 0x7f) * mult
    mult = mult * 128
    pos = pos + 1
  until b < 0x80
  if #buf < pos - 1 + len then return nil, nil, buf end
  return buf:byte(1), buf:sub(pos, pos + len - 1), buf:sub(pos + len)
end

action = function(host, port)
  local arg = function(k) return stdnse.get_script_args(SCRIPT_NAME .. "." .. k) end
  local topic = arg("topic") or "$SYS/#"
  local listen = tonumber(arg("listen-msecs")) or 5000
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.number == 8883 and "ssl" or "tcp") then return nil end
  local id = arg("client-id") or ("nmap" .. stdnse.tohex(string.pack(">I4", math.random(0, 0x7fffffff))))
  sock:send(connect_packet(id, arg("username"), arg("password")))
  local buf, kind, body = ""
  while true do
    kind, body, buf = next_packet(buf)
    if kind then break end
    local ok, d = sock:receive()
    if not ok then sock:close(); return nil end
    buf = buf .. d
  end
  if kind ~= 0x20 or #body < 2 then sock:close(); return nil end
  if body:byte(2) ~= 0 then
    sock:close()
    return ("Connection refused (return code %d)"):format(body:byte(2))
  end
  sock:send(packet(0x82, string.pack(">I2", 1) .. mstr(topic) .. "\0"))
  local topics, deadline = {}, nmap.clock_ms() + listen
  sock:set_timeout(250)
  while nmap.clock_ms() < deadline do
    kind, body, buf = next_packet(buf)
    if kind then
      if kind & 0xf0 == 0x30 then
        local name, pos = string.unpack(">s2", body)
        if (kind >> 1) & 3 > 0 then pos = pos + 2 end
        topics[name] = body:sub(pos)
      end
    else
      local ok, d = sock:receive()
      if ok then buf = buf .. d elseif d ~= "TIMEOUT" then break end
    end
  end
  sock:send("\xe0\0")
  sock:close()
  local names = stdnse.keys(topics)
  if #names == 0 then return nil end
  table.sort(names)
  local t = stdnse.output_table()
  for _, n in ipairs(names) do t[n] = topics[n] end
  local out = stdnse.output_table()
  out["Topics and their most recent payloads"] = t
  local ver = topics["$SYS/broker/version"]
  if ver and not (port.version and port.version.product and port.version.product ~= "") then
    port.version = port.version or {}
    port.version.name = "mqtt"
    port.version.product = ver
    nmap.set_port_version(host, port, "hardmatched")
  end
  return out
end
