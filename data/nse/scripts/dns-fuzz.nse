description = [[
Fuzzes a DNS server: sends well-formed queries (RFC 1035 section 4.1)
for random names, then the same packets with random bytes changed,
dropped or added, and after each batch checks with a plain query that the
server still answers. Reports a server that stopped answering. Runs for
dns-fuzz.timelimit (default 10m; "0" for ever); only against servers you
own. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"fuzzer", "intrusive"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(53, "domain", {"tcp", "udp"})

local function label()
  local n, t = math.random(1, 12), {}
  for i = 1, n do t[i] = string.char(math.random(97, 122)) end
  return table.concat(t)
end

local function query(id)
  local name = string.pack("s1s1s1", label(), label(), "lab") .. "\0"
  return string.pack(">I2I2I2I2I2I2", id, 0x0100, 1, 0, 0, 0) .. name
    .. string.pack(">I2I2", ({1, 28, 15, 16, 2, 6})[math.random(1, 6)], 1)
end

local function mutate(p)
  local b = {p:byte(1, -1)}
  for _ = 1, math.random(1, 4) do
    local op, i = math.random(1, 3), math.random(1, #b)
    if op == 1 then b[i] = math.random(0, 255)
    elseif op == 2 and #b > 12 then table.remove(b, i)
    else table.insert(b, i, math.random(0, 255)) end
  end
  return string.char(table.unpack(b))
end

local function send(host, port, pkt, wait)
  local s = nmap.new_socket()
  s:set_timeout(wait)
  if not s:connect(host, port) then return false end
  local tcp = port.protocol == "tcp"
  s:send(tcp and string.pack(">s2", pkt) or pkt)
  local ok = s:receive()
  s:close()
  return ok
end

local function seconds(v)
  local n, u = tostring(v):match("^(%d+%.?%d*)([smh]?)$")
  if not n then return 600 end
  return tonumber(n) * ({[""] = 1, s = 1, m = 60, h = 3600})[u]
end

action = function(host, port)
  local limit = seconds(stdnse.get_script_args("dns-fuzz.timelimit") or "10m")
  if not send(host, port, query(math.random(0, 65535)), 3000) then return nil end
  local t0, sent = nmap.clock(), 0
  while limit == 0 or nmap.clock() - t0 < limit do
    for _ = 1, 20 do
      send(host, port, mutate(query(math.random(0, 65535))), 100)
      sent = sent + 1
    end
    if not send(host, port, query(math.random(0, 65535)), 3000) then
      return ("The server stopped answering after %d fuzzed packets."):format(sent)
    end
  end
  stdnse.debug1("%d fuzzed packets sent; the server still answers", sent)
  return nil
end
