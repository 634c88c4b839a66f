description = [[
Asks a memcached server for "stats" and "stats settings" (memcached's
protocol.txt, over
TCP, or UDP with its 8-byte frame header) and shows its process id,
uptime, clock, architecture, CPU time, connections, ports and whether it
requires authentication. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(11211, "memcache", {"tcp", "udp"})

local FIELDS = {
  {"pid", "Process ID"}, {"uptime", "Uptime", " seconds"}, {"time", "Server time"},
  {"pointer_size", "Architecture", " bit"}, {"rusage_user", "Used CPU (user)"},
  {"rusage_system", "Used CPU (system)"}, {"curr_connections", "Current connections"},
  {"total_connections", "Total connections"}, {"max_connections", "Maximum connections"},
  {"tcpport", "TCP Port"}, {"udpport", "UDP Port"},
}

-- one stats command: its STAT lines into kv; the raw reply
local function stats(host, port, cmd, kv)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local udp = port.protocol == "udp"
  local req = cmd .. "\r\n"
  if udp then req = string.pack(">I2I2I2I2", math.random(0, 65535), 0, 1, 0) .. req end
  sock:send(req)
  local buf = ""
  while not buf:find("END\r\n$") and not buf:find("ERROR") do
    local ok, d = sock:receive()
    if not ok then break end
    buf = buf .. (udp and d:sub(9) or d)
  end
  sock:close()
  for k, v in buf:gmatch("STAT (%S+) ([^\r\n]*)") do kv[k] = v end
  return buf
end

action = function(host, port)
  local kv = {}
  local buf = stats(host, port, "stats", kv)
  if not buf then return nil end
  if not kv.pid then
    if buf:find("ERROR") then return "Authentication: yes" end
    return nil
  end
  stats(host, port, "stats settings", kv)
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    local v = kv[f[1]]
    if v then
      if f[1] == "time" then v = os.date("%Y-%m-%dT%H:%M:%S", tonumber(v)) end
      out[f[2]] = v .. (f[3] or "")
    end
  end
  out.Authentication = kv.auth_enabled_sasl == "yes" and "yes" or "no"
  return out
end
